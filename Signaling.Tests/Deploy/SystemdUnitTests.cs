using System.Globalization;
using System.Text.RegularExpressions;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Deploy;

/// <summary>
/// deploy/systemd/webrtc-signaling.service: systemd's own checker accepts it, and its command
/// line, run as written (the install path and port replaced by the test's), serves the page and
/// stops cleanly on the unit's kill signal within its stop timeout.
/// </summary>
public sealed partial class SystemdUnitTests
{
    private const string InstallPath = "/opt/webrtc-signaling";
    private const string DotnetPath = "/usr/bin/dotnet";

    private static readonly Recipe Unit = Recipe.Load("systemd", "webrtc-signaling.service");

    [Test]
    public async Task Systemd_analyze_verify_accepts_the_unit_without_a_warning()
    {
        var folder = Directory.CreateTempSubdirectory("signaling-systemd-");
        try
        {
            // verify checks that the program exists: point it at this machine's dotnet.
            var unit = Path.Combine(folder.FullName, "webrtc-signaling.service");
            Recipe.Load("systemd", "webrtc-signaling.service").Replace("^ExecStart=" + Regex.Escape(DotnetPath), "ExecStart=" + Dotnet()).WriteTo(unit);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var run = await ProcessRun.RunAsync("systemd-analyze", ["verify", unit], folder.FullName, timeout.Token);

            Assert.That(run.ExitCode, Is.Zero, run.StandardError);
            Assert.That(run.StandardError + run.StandardOutput, Is.Empty, "systemd-analyze had something to say about the unit");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void The_unit_raises_the_open_files_limit_restarts_on_failure_and_runs_as_its_own_user()
    {
        var service = Settings("Service");

        Assert.That(int.Parse(service["LimitNOFILE"], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(65536));
        Assert.That(service["Restart"], Is.EqualTo("on-failure"));
        Assert.That(service["User"], Is.Not.Empty.And.Not.EqualTo("root"));
        Assert.That(service["WorkingDirectory"], Is.EqualTo(InstallPath));
        Assert.That(service["KillSignal"], Is.EqualTo("SIGTERM"));
    }

    [Test]
    public async Task Its_command_line_serves_and_stops_on_its_kill_signal_within_its_stop_timeout()
    {
        var service = Settings("Service");
        var port = LoopbackPorts.Free();
        var command = service["ExecStart"]
            .Replace(DotnetPath, Dotnet(), StringComparison.Ordinal)
            .Replace(InstallPath, AppContext.BaseDirectory.TrimEnd('/'), StringComparison.Ordinal)
            .Replace("127.0.0.1:3000", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"), StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var stopTimeout = TimeSpan.FromSeconds(int.Parse(service["TimeoutStopSec"], CultureInfo.InvariantCulture));

        var server = await ServiceProcess.StartAsync(command[0], command[1..], port, AppContext.BaseDirectory);
        await using (server)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.That(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/signaling/config")), Does.Contain("iceServers"));

            Assert.That(await server.StopAsync(stopTimeout), Is.Zero, server.Output);
        }
    }

    private static Dictionary<string, string> Settings(string section)
    {
        var match = Regex.Match(Unit.Text, $@"^\[{section}\]\n(?<body>(?:(?!^\[).*\n?)*)", RegexOptions.Multiline);
        Assert.That(match.Success, Is.True, $"no [{section}] in {Unit.Path}");
        return SettingLine().Matches(match.Groups["body"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
    }

    /// <summary>This machine's dotnet: the first on PATH, as systemd would find it if the unit named it so.</summary>
    private static string Dotnet() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("dotnet is not on PATH");

    [GeneratedRegex(@"^(\w+)=(.*)$", RegexOptions.Multiline)]
    private static partial Regex SettingLine();
}
