using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Signaling.Server.EngineIo;

namespace Signaling.Tests.EngineIo;

public sealed class TimerWheelTests
{
    [Test]
    public async Task Timers_fire_once_near_their_due_time_even_beyond_one_turn_of_the_wheel()
    {
        // 2 ms ticks: one turn of 512 slots is about a second, so 1500 ms needs a second turn.
        using var wheel = new TimerWheel(TimeProvider.System, TimeSpan.FromMilliseconds(2), NullLogger.Instance);
        var fired = new ConcurrentDictionary<int, long>();
        var watch = Stopwatch.StartNew();
        var delays = new[] { 5, 50, 300, 1500 };
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var delay in delays)
        {
            var timer = new WheelTimer((_, _) =>
            {
                if (!fired.TryAdd(delay, watch.ElapsedMilliseconds))
                {
                    fired[-delay] = 0;
                }

                if (fired.Count == delays.Length)
                {
                    done.TrySetResult();
                }
            }, new object());
            wheel.Schedule(timer, TimeSpan.FromMilliseconds(delay));
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        Assert.That(fired.Keys.Where(k => k < 0), Is.Empty, "a timer fired twice");
        foreach (var delay in delays)
        {
            Assert.That(fired[delay], Is.InRange(delay - 2, delay + 500), $"{delay} ms timer");
        }
    }

    [Test]
    public async Task Cancelled_and_rescheduled_timers_report_a_stale_generation_or_do_not_fire()
    {
        using var wheel = new TimerWheel(TimeProvider.System, TimeSpan.FromMilliseconds(2), NullLogger.Instance);
        var generations = new ConcurrentQueue<long>();
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelledFired = false;
        var cancelled = new WheelTimer((_, _) => cancelledFired = true, new object());
        wheel.Schedule(cancelled, TimeSpan.FromMilliseconds(20));
        wheel.Cancel(cancelled);

        var rescheduled = new WheelTimer((_, generation) =>
        {
            generations.Enqueue(generation);
            fired.TrySetResult();
        }, new object());
        wheel.Schedule(rescheduled, TimeSpan.FromMilliseconds(20));
        var latest = wheel.Schedule(rescheduled, TimeSpan.FromMilliseconds(60));

        await fired.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.Multiple(() =>
        {
            Assert.That(cancelledFired, Is.False);
            Assert.That(generations, Is.EqualTo(new[] { latest }));
        });
    }

    [Test]
    public async Task The_wheel_wakes_up_for_due_timers_only_not_every_tick()
    {
        // 2 ms ticks: a periodic tick would wake about 200 times in the 400 ms below.
        var time = new WakeCountingTimeProvider();
        using var wheel = new TimerWheel(time, TimeSpan.FromMilliseconds(2), NullLogger.Instance);
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = new WheelTimer((_, _) => fired.TrySetResult(), new object());
        await Task.Delay(100);
        wheel.Schedule(timer, TimeSpan.FromMilliseconds(200));
        await fired.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        // The due one only: a periodic tick would be ~200, and a wait cut to whole milliseconds
        // (a system timer firing just before the tick) would add a re-arm.
        Assert.That(time.Wakes, Is.EqualTo(1));
    }

    /// <summary>The system clock, counting how often timers created through it fire.</summary>
    private sealed class WakeCountingTimeProvider : TimeProvider
    {
        private int _wakes;

        public int Wakes => Volatile.Read(ref _wakes);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(s =>
            {
                Interlocked.Increment(ref _wakes);
                callback(s);
            }, state, dueTime, period);
    }
}
