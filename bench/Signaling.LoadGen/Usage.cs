using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>
/// A snapshot of wall time and of the CPU time used so far by the server and by this generator;
/// two snapshots bracket a measured interval.
/// </summary>
public readonly record struct Usage(long Timestamp, TimeSpan? ServerCpu, TimeSpan GeneratorCpu)
{
    public static Usage Take(ServerProbe server)
    {
        using var self = Process.GetCurrentProcess();
        return new Usage(Stopwatch.GetTimestamp(), server.CpuTime(), self.TotalProcessorTime);
    }

    public TimeSpan WallSince(Usage start) => Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);

    /// <summary>
    /// Adds the interval's CPU figures: each side's share of one core, and, when
    /// <paramref name="operations"/> is given, CPU µs per operation (e.g. per relayed message).
    /// </summary>
    public void AddCosts(ScenarioResult result, Usage start, long? operations = null, string perWhat = "msg")
    {
        var wall = WallSince(start).TotalSeconds;
        if (ServerCpu is { } serverEnd && start.ServerCpu is { } serverStart)
        {
            var serverCpu = (serverEnd - serverStart).TotalSeconds;
            result.Add("server CPU", serverCpu, "s", "lower");
            result.Add("server CPU load", 100 * serverCpu / wall, "% of a core");
            if (operations > 0)
            {
                result.Add($"server CPU per {perWhat}", serverCpu * 1e6 / operations.Value, "µs", "lower");
            }
        }

        var generatorCpu = (GeneratorCpu - start.GeneratorCpu).TotalSeconds;
        result.Add("generator CPU load", 100 * generatorCpu / wall, "% of a core");
        if (operations > 0)
        {
            result.Add($"generator CPU per {perWhat}", generatorCpu * 1e6 / operations.Value, "µs");
        }
    }
}
