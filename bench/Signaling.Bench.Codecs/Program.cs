using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Metrology;

namespace Signaling.Bench.Codecs;

/// <summary>
/// BenchmarkDotNet's command line, plus <c>--smoke</c>: every benchmark once, in this process
/// (no generated project to build), to check in seconds that all of them run and pass their set-up checks.
/// </summary>
internal static class Program
{
    private const string SmokeSwitch = "--smoke";

    private static int Main(string[] args)
    {
        bool smoke = args.Contains(SmokeSwitch);
        List<string> rest = [.. args.Where(arg => arg != SmokeSwitch)];
        // Case names are up to 30 characters (BenchmarkDotNet would cut them at 20), and allocations
        // read best in one unit across tables.
        IConfig config = DefaultConfig.Instance.WithSummaryStyle(
            SummaryStyle.Default.WithMaxParameterColumnWidth(40).WithSizeUnit(SizeUnit.B));
        if (smoke)
        {
            config = config.AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke"));
            // Without a filter BenchmarkDotNet asks which benchmarks to run; a smoke run takes them all.
            if (!rest.Any(arg => arg.StartsWith("--filter", StringComparison.Ordinal)))
            {
                rest.AddRange(["--filter", "*"]);
            }
        }

        Summary[] summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], config)];
        // BenchmarkDotNet reports a failed set-up or benchmark and still exits 0; scripts need to see it.
        bool failed = summaries.Any(summary => summary.HasCriticalValidationErrors
            || summary.Reports.Any(report => !report.Success)
            || summary.Reports.Length < summary.BenchmarksCases.Length);
        // A smoke run that ran nothing (a mistyped filter) has checked nothing.
        return failed || (smoke && summaries.Length == 0) ? 1 : 0;
    }
}
