namespace Signaling.Server.EngineIo;

/// <summary>A reusable entry of the <see cref="TimerWheel"/>; its links are guarded by the wheel's lock.</summary>
internal sealed class WheelTimer(Action<object, long> callback, object state)
{
    internal WheelTimer? Next;
    internal WheelTimer? Previous;
    internal int Slot = -1;
    internal long DueTick;
    internal long Generation;

    internal void Fire(long generation) => callback(state, generation);
}
