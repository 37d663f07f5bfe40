using Signaling.Tests.Infrastructure;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Browser;

/// <summary>
/// Runs one of the browser scripts in js/ (browser-call.js, browser-call-failures.js) against the
/// page server (<see cref="PageServers"/>) and returns its one JSON line; fails the test with the
/// whole transcript when the script does not finish, fails or says it failed. The screenshots the
/// script names are attached to the test first, failed or not.
/// </summary>
internal static class BrowserScript
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    public static Task<JObject> RunAsync(string script, string label, params string[] options) =>
        RunAsync(script, label, PageServers.StartAsync, "", options);

    /// <summary>
    /// Against our server started with these extra options (e.g. <c>--Server:PathBase=/chat</c>),
    /// the page opened at <paramref name="pagePath"/> under it (e.g. <c>chat/</c>).
    /// </summary>
    public static Task<JObject> RunOnOursAsync(string script, string label, string[] serverOptions, string pagePath, params string[] options) =>
        RunAsync(script, label, async token => await PageServers.StartOursAsync(serverOptions, token), pagePath, options);

    private static async Task<JObject> RunAsync(
        string script, string label, Func<CancellationToken, Task<IServerUnderTest>> start, string pagePath, string[] options)
    {
        using var timeout = new CancellationTokenSource(RunTimeout);
        await using var server = await start(timeout.Token);
        return await RunAgainstAsync(server, pagePath, script, label, timeout.Token, options);
    }

    /// <summary>As <see cref="RunAsync(string, string, string[])"/>, against a server the test started itself.</summary>
    public static async Task<JObject> RunAsync(IServerUnderTest server, string script, string label, params string[] options)
    {
        using var timeout = new CancellationTokenSource(RunTimeout);
        return await RunAgainstAsync(server, "", script, label, timeout.Token, options);
    }

    private static async Task<JObject> RunAgainstAsync(
        IServerUnderTest server, string pagePath, string script, string label, CancellationToken timeout, string[] options)
    {
        var artifacts = Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser-artifacts");
        var url = new Uri(server.BaseUrl, pagePath);
        string[] arguments = ["--url", url.ToString(), "--artifacts", artifacts, "--label", label, .. options];

        ProcessRun run;
        try
        {
            run = await ProcessRun.RunNodeAsync(Path.Combine(RepositoryLayout.TestScripts, script), arguments, timeout);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"{script} against {url} did not finish within {RunTimeout}.");
            throw;
        }

        var result = LastJsonLine(run.StandardOutput);
        // Attach before asserting: the screenshots of a failed call are the most useful ones.
        foreach (var screenshot in result?["screenshots"]?.Values<string>() ?? [])
        {
            if (screenshot is not null && File.Exists(screenshot))
            {
                TestContext.AddTestAttachment(screenshot, Path.GetFileNameWithoutExtension(screenshot));
            }
        }

        var transcript = $"{script} {string.Join(' ', arguments)}\nexit code {run.ExitCode}\nstdout:\n{run.StandardOutput}\nstderr:\n{run.StandardError}";
        Assert.That(run.ExitCode, Is.Zero, transcript);
        Assert.That(result?.Value<bool>("ok"), Is.True, transcript);
        TestContext.Out.WriteLine(result!.ToString(Newtonsoft.Json.Formatting.Indented));
        return result;
    }

    private static JObject? LastJsonLine(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith('{'));
        return line is null ? null : JObject.Parse(line);
    }
}
