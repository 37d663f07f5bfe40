using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>
/// A snapshot of wall time and of the CPU time used so far by the server (all its nodes), by the
/// cluster's Redis and by this generator; two snapshots bracket a measured interval.
/// </summary>
public readonly record struct Usage(long Timestamp, CpuTimes? ServerCpu, CpuTimes? RedisCpu, CpuTimes GeneratorCpu)
{
    public static Usage Take(ServerProbe server)
    {
        using var self = Process.GetCurrentProcess();
        return new Usage(Stopwatch.GetTimestamp(), server.CpuTime(), server.RedisCpuTime(), new CpuTimes(self.UserProcessorTime, self.PrivilegedProcessorTime));
    }

    public TimeSpan WallSince(Usage start) => Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);

    /// <summary>
    /// Adds the interval's CPU figures: each side's share of one core, and, when
    /// <paramref name="operations"/> is given, CPU µs per operation (e.g. per relayed message),
    /// with the server's kernel part apart. A cluster's server figures are its nodes' together;
    /// its Redis gets rows of its own.
    /// </summary>
    public void AddCosts(ScenarioResult result, Usage start, long? operations = null, string perWhat = "msg")
    {
        var wall = WallSince(start).TotalSeconds;
        if (ServerCpu is { } serverEnd && start.ServerCpu is { } serverStart)
        {
            var server = AddProcess(result, "server", serverEnd - serverStart, wall, operations, perWhat);
            if (operations > 0)
            {
                result.Add($"server CPU per {perWhat}, kernel part", server.Kernel.TotalMicroseconds / operations.Value, "µs", "lower");
            }
        }

        if (RedisCpu is { } redisEnd && start.RedisCpu is { } redisStart)
        {
            AddProcess(result, "Redis", redisEnd - redisStart, wall, operations, perWhat);
        }

        var generator = GeneratorCpu - start.GeneratorCpu;
        result.Add("generator CPU load", 100 * generator.Total.TotalSeconds / wall, "% of a core");
        if (operations > 0)
        {
            result.Add($"generator CPU per {perWhat}", generator.Total.TotalMicroseconds / operations.Value, "µs");
            result.Add($"generator CPU per {perWhat}, user part", generator.User.TotalMicroseconds / operations.Value, "µs");
        }
    }

    /// <summary>"<paramref name="who"/> CPU", its load and, with operations, its CPU per operation.</summary>
    private static CpuTimes AddProcess(ScenarioResult result, string who, CpuTimes used, double wall, long? operations, string perWhat)
    {
        result.Add($"{who} CPU", used.Total.TotalSeconds, "s", "lower");
        result.Add($"{who} CPU load", 100 * used.Total.TotalSeconds / wall, "% of a core");
        if (operations > 0)
        {
            result.Add($"{who} CPU per {perWhat}", used.Total.TotalMicroseconds / operations.Value, "µs", "lower");
        }

        return used;
    }
}
