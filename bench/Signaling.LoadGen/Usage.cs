using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>
/// A snapshot of wall time and of the CPU time used so far by the server and by this generator;
/// two snapshots bracket a measured interval.
/// </summary>
public readonly record struct Usage(long Timestamp, CpuTimes? ServerCpu, CpuTimes GeneratorCpu)
{
    public static Usage Take(ServerProbe server)
    {
        using var self = Process.GetCurrentProcess();
        return new Usage(Stopwatch.GetTimestamp(), server.CpuTime(), new CpuTimes(self.UserProcessorTime, self.PrivilegedProcessorTime));
    }

    public TimeSpan WallSince(Usage start) => Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);

    /// <summary>
    /// Adds the interval's CPU figures: each side's share of one core, and, when
    /// <paramref name="operations"/> is given, CPU µs per operation (e.g. per relayed message),
    /// with the server's kernel part apart.
    /// </summary>
    public void AddCosts(ScenarioResult result, Usage start, long? operations = null, string perWhat = "msg")
    {
        var wall = WallSince(start).TotalSeconds;
        if (ServerCpu is { } serverEnd && start.ServerCpu is { } serverStart)
        {
            var server = serverEnd - serverStart;
            result.Add("server CPU", server.Total.TotalSeconds, "s", "lower");
            result.Add("server CPU load", 100 * server.Total.TotalSeconds / wall, "% of a core");
            if (operations > 0)
            {
                result.Add($"server CPU per {perWhat}", server.Total.TotalMicroseconds / operations.Value, "µs", "lower");
                result.Add($"server CPU per {perWhat}, kernel part", server.Kernel.TotalMicroseconds / operations.Value, "µs", "lower");
            }
        }

        var generator = GeneratorCpu - start.GeneratorCpu;
        result.Add("generator CPU load", 100 * generator.Total.TotalSeconds / wall, "% of a core");
        if (operations > 0)
        {
            result.Add($"generator CPU per {perWhat}", generator.Total.TotalMicroseconds / operations.Value, "µs");
            result.Add($"generator CPU per {perWhat}, user part", generator.User.TotalMicroseconds / operations.Value, "µs");
        }
    }
}
