using System.Diagnostics;
using System.Text.Json;

namespace Signaling.Tests.EngineIo;

/// <summary>The official engine.io-client of Socket.IO 1.x, 2.x, 3.x and 4.x against the echo server, every transport mode.</summary>
public sealed class EngineIoOfficialClientTests
{
    [Test]
    public async Task Every_official_client_generation_round_trips_text_and_binary()
    {
        await using var host = await EngineIoTestHost.StartAsync();
        var script = Path.Combine(FindTestsDirectory(), "EngineIo", "engine-io-clients.cjs");
        using var node = Process.Start(new ProcessStartInfo("node", [script, host.BaseUri.ToString().TrimEnd('/')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = await node.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = await node.StandardError.ReadToEndAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);

        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.That(results, Has.Count.EqualTo(12), errors);
        Assert.Multiple(() =>
        {
            foreach (var result in results)
            {
                Assert.That(result.GetProperty("ok").GetBoolean(), Is.True, result.ToString());
            }
        });
        Assert.That(host.Handler.Violations, Is.Empty);
        Assert.That(await host.WaitForNoSessionsAsync(), Is.Zero);
    }

    private static string FindTestsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Signaling.Tests");
            if (Directory.Exists(Path.Combine(candidate, "js", "node_modules")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("Signaling.Tests/js/node_modules not found above " + AppContext.BaseDirectory);
    }
}
