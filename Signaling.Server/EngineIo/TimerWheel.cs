using Microsoft.Extensions.Logging;

namespace Signaling.Server.EngineIo;

/// <summary>
/// One shared timer for every session's heartbeat and timeouts: a hashed wheel of slots one
/// resolution (given at construction) apart. Thousands of idle sessions then cost one OS timer
/// instead of one each, and scheduling is a linked-list insert. The OS timer is armed only for
/// the next slot that holds a due timer (at most one turn of the wheel ahead), never as a
/// periodic tick: an idle server with no timer due does not wake up. Long delays may fire up to
/// 1/64 late (see <see cref="Schedule"/>), so that the heartbeats of many sessions share wake-ups.
/// Callbacks run on the timer thread and must be short and non-blocking; they receive the
/// generation they were scheduled with so the owner can ignore a firing that a later
/// <see cref="Schedule"/> or <see cref="Cancel"/> superseded.
/// </summary>
internal sealed class TimerWheel : IDisposable
{
    private const int SlotCount = 512;

    /// <summary>A delay may be rounded up by this fraction of itself (in whole power-of-two ticks), at most <see cref="MaxGranule"/> ticks.</summary>
    private const int SlackDivisor = 64;

    private const long MaxGranule = 64;

    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly long _resolutionTicks;
    private readonly WheelTimer?[] _slots = new WheelTimer?[SlotCount];
    private readonly Lock _lock = new();
    private readonly List<(WheelTimer Timer, long Generation)> _due = [];
    private readonly ITimer _timer;
    private readonly ILogger _logger;
    private long _processedTick;
    private long _armedTick = long.MaxValue;
    private int _count;
    private int _ticking;
    private int _tickPending;
    private bool _disposed;

    public TimerWheel(TimeProvider time, TimeSpan resolution, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _resolutionTicks = resolution.Ticks;
        _origin = time.GetTimestamp();
        _timer = time.CreateTimer(static state => ((TimerWheel)state!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// (Re)schedules <paramref name="timer"/> to fire once after <paramref name="delay"/>; returns
    /// the generation the firing will carry. Short delays fire within half a tick of their due time;
    /// a long one is rounded up to a multiple of a power-of-two number of ticks no larger than 1/64
    /// of it (and 64 ticks), so that timers due at about the same moment share one wake-up.
    /// </summary>
    public long Schedule(WheelTimer timer, TimeSpan delay)
    {
        lock (_lock)
        {
            Unlink(timer);
            var nowTicks = _time.GetElapsedTime(_origin).Ticks;
            var delayTicks = Math.Max(0, delay.Ticks);
            // Round to the nearest tick (at most half a tick early or late, instead of a whole tick
            // late every time); never into a tick already processed.
            var dueTick = Math.Max((nowTicks + delayTicks + _resolutionTicks / 2) / _resolutionTicks, _processedTick + 1);
            var granule = Granule(delayTicks / _resolutionTicks);
            dueTick = (dueTick + granule - 1) / granule * granule;
            timer.DueTick = dueTick;
            var slot = (int)(dueTick % SlotCount);
            timer.Slot = slot;
            timer.Next = _slots[slot];
            if (timer.Next is not null)
            {
                timer.Next.Previous = timer;
            }

            _slots[slot] = timer;
            _count++;
            if (dueTick < _armedTick)
            {
                ArmLocked(Math.Min(dueTick, nowTicks / _resolutionTicks + SlotCount), nowTicks);
            }

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

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    /// <summary>The largest power of two not above 1/64 of the delay, within 1..64 ticks.</summary>
    private static long Granule(long delayTicks)
    {
        var slack = Math.Clamp(delayTicks / SlackDivisor, 1, MaxGranule);
        return 1L << (63 - (int)long.LeadingZeroCount(slack));
    }

    private void OnTick()
    {
        // A slow callback must not let ticks run concurrently: a firing that finds a tick running
        // leaves it a note, and the running tick goes round once more (the wake-up is not lost).
        Volatile.Write(ref _tickPending, 1);
        while (Volatile.Read(ref _tickPending) == 1 && Interlocked.Exchange(ref _ticking, 1) == 0)
        {
            try
            {
                Volatile.Write(ref _tickPending, 0);
                RunDueTimers();
            }
            finally
            {
                _due.Clear();
                // A full fence, so that the read of the note above cannot pass this release.
                Interlocked.Exchange(ref _ticking, 0);
            }
        }
    }

    private void RunDueTimers()
    {
        lock (_lock)
        {
            var nowTicks = _time.GetElapsedTime(_origin).Ticks;
            var now = nowTicks / _resolutionTicks;
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
            _armedTick = long.MaxValue;
            if (NextDueTickLocked() is { } nextDue)
            {
                ArmLocked(nextDue, nowTicks);
            }
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

    /// <summary>
    /// The first tick of the coming turn whose slot holds a timer due in it; when every timer is
    /// due in a later turn, the end of this turn (a wake-up that only moves on); null when none is scheduled.
    /// </summary>
    private long? NextDueTickLocked()
    {
        if (_count == 0)
        {
            return null;
        }

        for (var tick = _processedTick + 1; tick <= _processedTick + SlotCount; tick++)
        {
            for (var timer = _slots[(int)(tick % SlotCount)]; timer is not null; timer = timer.Next)
            {
                if (timer.DueTick == tick)
                {
                    return tick;
                }
            }
        }

        return _processedTick + SlotCount;
    }

    private void ArmLocked(long tick, long nowTicks)
    {
        if (_disposed)
        {
            return;
        }

        _armedTick = tick;
        // The start of that tick: from then on the firing finds it elapsed. System timers count
        // whole milliseconds on a millisecond clock, dropping the fraction of the wait and firing
        // up to a millisecond before it has really passed, which made them wake just before the
        // tick and re-arm for nothing: rounding up and adding that millisecond keeps it to one wake-up.
        var waitTicks = Math.Max(0, tick * _resolutionTicks - nowTicks);
        var wait = TimeSpan.FromMilliseconds(Math.Ceiling((double)waitTicks / TimeSpan.TicksPerMillisecond) + 1);
        _timer.Change(wait, Timeout.InfiniteTimeSpan);
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
        _count--;
    }
}
