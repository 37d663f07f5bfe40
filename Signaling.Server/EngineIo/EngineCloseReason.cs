namespace Signaling.Server.EngineIo;

/// <summary>Close reasons of the Engine.IO layer that are the server's own, not the reference's.</summary>
public static class EngineCloseReason
{
    /// <summary>The client did not read what it was sent until more than <see cref="EngineIoOptions.MaxBufferedBytes"/> waited for it.</summary>
    public const string SlowConsumer = "slow consumer";
}
