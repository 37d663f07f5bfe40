using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Signaling.LoadGen;

/// <summary>
/// Sleeping until an absolute instant of the monotonic clock, to within a few microseconds:
/// <c>clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)</c>, with the calling thread's timer slack
/// lowered first (Linux lets a normal thread's timer fire up to 50 µs late so that wake-ups can be
/// merged). An absolute deadline does not drift the way a relative sleep does, and a sleep does
/// not take the core from the threads that share it the way a spin does. The instants are
/// <see cref="Stopwatch"/> timestamps, which on Linux are that same clock in nanoseconds.
/// </summary>
public static partial class MonotonicSleep
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsolute = 1;
    private const int PrSetTimerSlack = 29;
    private const int Interrupted = 4; // EINTR
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>
    /// Checks that <see cref="Stopwatch"/> timestamps are CLOCK_MONOTONIC nanoseconds (so that an
    /// instant computed from them can be slept until) and lowers this thread's timer slack to 1 ns.
    /// Call once on the thread that will sleep.
    /// </summary>
    public static void PrepareThisThread()
    {
        if (!OperatingSystem.IsLinux() || Stopwatch.Frequency != NanosecondsPerSecond)
        {
            throw new PlatformNotSupportedException("precise pacing needs Linux, where Stopwatch counts CLOCK_MONOTONIC nanoseconds");
        }

        var before = Stopwatch.GetTimestamp();
        var clock = Now();
        var after = Stopwatch.GetTimestamp();
        if (clock < before || clock > after)
        {
            throw new PlatformNotSupportedException("Stopwatch timestamps are not CLOCK_MONOTONIC here");
        }

        if (Prctl(PrSetTimerSlack, 1, 0, 0, 0) != 0)
        {
            throw new InvalidOperationException($"prctl(PR_SET_TIMERSLACK) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Returns at <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp) or at once when it has passed.</summary>
    public static void Until(long timestamp)
    {
        var deadline = new Timespec(timestamp / NanosecondsPerSecond, timestamp % NanosecondsPerSecond);
        int error;
        while ((error = ClockNanosleep(ClockMonotonic, TimerAbsolute, in deadline, IntPtr.Zero)) == Interrupted)
        {
            // A signal woke the thread early; the deadline is absolute, so sleep on.
        }

        if (error != 0)
        {
            throw new InvalidOperationException($"clock_nanosleep failed: error {error}");
        }
    }

    private static long Now()
    {
        if (ClockGettime(ClockMonotonic, out var now) != 0)
        {
            throw new InvalidOperationException($"clock_gettime failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (now.Seconds * NanosecondsPerSecond) + now.Nanoseconds;
    }

    // Returns the error number itself (not -1 and errno).
    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remaining);

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGettime(int clock, out Timespec now);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    /// <summary>struct timespec on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);
}
