using Microsoft.Extensions.Logging;

namespace Signaling.Server.EngineIo;

/// <summary>
/// One shared timer for every session's heartbeat and timeouts: a hashed wheel that ticks every
/// resolution given at construction. Thousands of idle sessions then cost one OS timer instead of one
/// each, and scheduling is a linked-list insert. Callbacks run on the timer thread and must be
/// short and non-blocking; they receive the generation they were scheduled with so the owner can
/// ignore a firing that a later <see cref="Schedule"/> or <see cref="Cancel"/> superseded.
/// </summary>
internal sealed class TimerWheel : IDisposable
{
    private const int SlotCount = 512;

    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly long _resolutionTicks;
    private readonly WheelTimer?[] _slots = new WheelTimer?[SlotCount];
    private readonly Lock _lock = new();
    private readonly List<(WheelTimer Timer, long Generation)> _due = [];
    private readonly ITimer _timer;
    private readonly ILogger _logger;
    private long _processedTick;
    private int _ticking;

    public TimerWheel(TimeProvider time, TimeSpan resolution, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _resolutionTicks = resolution.Ticks;
        _origin = time.GetTimestamp();
        _timer = time.CreateTimer(static state => ((TimerWheel)state!).OnTick(), this, resolution, resolution);
    }

    /// <summary>(Re)schedules <paramref name="timer"/> to fire once after <paramref name="delay"/>; returns the generation the firing will carry.</summary>
    public long Schedule(WheelTimer timer, TimeSpan delay)
    {
        lock (_lock)
        {
            Unlink(timer);
            var due = _time.GetElapsedTime(_origin).Ticks + Math.Max(0, delay.Ticks);
            // Round to the nearest tick (at most half a tick early or late, instead of a whole tick
            // late every time); never into a tick already processed.
            var dueTick = Math.Max((due + _resolutionTicks / 2) / _resolutionTicks, _processedTick + 1);
            timer.DueTick = dueTick;
            var slot = (int)(dueTick % SlotCount);
            timer.Slot = slot;
            timer.Next = _slots[slot];
            if (timer.Next is not null)
            {
                timer.Next.Previous = timer;
            }

            _slots[slot] = timer;
            return ++timer.Generation;
        }
    }

    public void Cancel(WheelTimer timer)
    {
        lock (_lock)
        {
            Unlink(timer);
            timer.Generation++;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void OnTick()
    {
        // A slow callback must not let ticks run concurrently; the next tick catches up.
        if (Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return;
        }

        try
        {
            var now = _time.GetElapsedTime(_origin).Ticks / _resolutionTicks;
            lock (_lock)
            {
                var steps = Math.Min(now - _processedTick, SlotCount);
                for (var i = 1; i <= steps; i++)
                {
                    var timer = _slots[(int)((_processedTick + i) % SlotCount)];
                    while (timer is not null)
                    {
                        var next = timer.Next;
                        if (timer.DueTick <= now)
                        {
                            Unlink(timer);
                            _due.Add((timer, timer.Generation));
                        }

                        timer = next;
                    }
                }

                _processedTick = Math.Max(_processedTick, now);
            }

            foreach (var (timer, generation) in _due)
            {
                try
                {
                    timer.Fire(generation);
                }
                catch (Exception e)
                {
                    // One failing callback must not cost the other sessions their timers.
                    EngineIoLog.TimerCallbackFailed(_logger, e);
                }
            }
        }
        finally
        {
            _due.Clear();
            Volatile.Write(ref _ticking, 0);
        }
    }

    private void Unlink(WheelTimer timer)
    {
        if (timer.Slot < 0)
        {
            return;
        }

        if (timer.Previous is not null)
        {
            timer.Previous.Next = timer.Next;
        }
        else
        {
            _slots[timer.Slot] = timer.Next;
        }

        if (timer.Next is not null)
        {
            timer.Next.Previous = timer.Previous;
        }

        timer.Next = timer.Previous = null;
        timer.Slot = -1;
    }
}
