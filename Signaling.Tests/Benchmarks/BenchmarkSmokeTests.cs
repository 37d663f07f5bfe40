using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Benchmarks;

/// <summary>
/// The benchmarks at their smallest sizes: they still build, run against both servers and
/// count every message, so a broken benchmark shows here rather than on the day it is needed.
/// Nothing here asserts a timing.
/// </summary>
[NonParallelizable]
public sealed class BenchmarkSmokeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <param name="scenarios">The default set, or the cluster scenarios (two nodes of each server on a redis-server of the run's own).</param>
    /// <param name="runs">Scenario runs in the report: the smoke presence runs twice (5 and 20 arrivals).</param>
    [TestCase("relay,latency,connections,presence", 5)]
    [TestCase("cluster,cluster-presence", 2)]
    public async Task The_load_benchmark_runs_its_scenarios_against_both_servers_with_nothing_lost(string scenarios, int runs)
    {
        using var timeout = new CancellationTokenSource(Limit);
        var run = await ProcessRun.RunAsync("bash", [Path.Combine(RepositoryLayout.Bench, "run.sh"), "--smoke", "--scenarios", scenarios], RepositoryLayout.Root, timeout.Token);

        Assert.That(run.ExitCode, Is.Zero, $"bench/run.sh --smoke failed:\n{run.StandardOutput}\n{run.StandardError}");
        var checks = run.StandardOutput.Split('\n').Where(line => line.Contains("| checks |", StringComparison.Ordinal)).ToList();
        Assert.That(checks, Has.Count.EqualTo(runs), run.StandardOutput);
        Assert.That(checks, Has.All.Matches<string>(line => line.Contains("| ok | ok |", StringComparison.Ordinal)), run.StandardOutput);
    }

    [Test]
    public async Task The_codec_microbenchmarks_run_and_pass_their_setup_checks()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var project = Path.Combine(RepositoryLayout.Bench, "Signaling.Bench.Codecs");
        var run = await ProcessRun.RunAsync("dotnet", ["run", "-c", "Release", "--project", project, "--", "--smoke"], RepositoryLayout.Root, timeout.Token);

        Assert.That(run.ExitCode, Is.Zero, $"codec micro-benchmarks failed:\n{run.StandardOutput}\n{run.StandardError}");
    }
}
