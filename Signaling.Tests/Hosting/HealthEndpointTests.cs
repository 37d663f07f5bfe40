using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Signaling.Tests.Hosting;

/// <summary><c>/healthz</c> and <c>/readyz</c> of the server run as a process, through a graceful stop.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class HealthEndpointTests
{
    [Test]
    public async Task Readyz_turns_503_as_soon_as_sigterm_starts_draining_while_healthz_stays_200()
    {
        var (server, url) = await ServerProcess.StartAsync();
        await using var _ = server;
        using var http = new HttpClient();
        Assert.That((await http.GetAsync(new Uri(url, "healthz"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var ready = await http.GetAsync(new Uri(url, "readyz")))
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await ready.Content.ReadAsStringAsync(), Does.Contain("listening: Healthy"));
        }

        // A WebSocket client that never reads, so never answers the close: the server drains it
        // for its whole grace (a second) before it stops listening, and readiness is seen meanwhile.
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{url.Authority}/socket.io/?EIO=4&transport=websocket"), CancellationToken.None);
        Assert.That(await ConsoleServiceTests.ReceiveTextAsync(socket), Does.StartWith("0{"), "the open packet");
        await socket.SendAsync(Encoding.UTF8.GetBytes("40"), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.That(await ConsoleServiceTests.ReceiveTextAsync(socket), Does.StartWith("40{"), "joined: the session is the server's now");
        server.Terminate();

        HttpStatusCode? readiness = null;
        HttpStatusCode? liveness = null;
        string body = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (readiness != HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
        {
            // A new connection each time, as a load balancer's probe; refused means the server stopped listening first.
            using var probe = new HttpClient();
            using var ready = await probe.GetAsync(new Uri(url, "readyz"));
            readiness = ready.StatusCode;
            body = await ready.Content.ReadAsStringAsync();
            if (readiness == HttpStatusCode.ServiceUnavailable)
            {
                using var live = await probe.GetAsync(new Uri(url, "healthz"));
                liveness = live.StatusCode;
            }
        }
        Assert.That(readiness, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body);
        Assert.That(body, Does.Contain("listening: Unhealthy (draining)"));
        Assert.That(liveness, Is.EqualTo(HttpStatusCode.OK), "alive while draining");

        await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.That(server.ExitCode, Is.Zero, server.Output);
    }

    [Test]
    public async Task Health_paths_are_the_checks_even_when_the_web_root_has_files_of_those_names()
    {
        var root = Directory.CreateTempSubdirectory("signaling-webroot-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "healthz"), "a file");
            await File.WriteAllTextAsync(Path.Combine(root, "readyz"), "a file");
            await File.WriteAllTextAsync(Path.Combine(root, "metrics"), "a file");
            var (server, url) = await ServerProcess.StartAsync("--web-root", root);
            await using var _ = server;
            using var http = new HttpClient();
            Assert.That(await http.GetStringAsync(new Uri(url, "healthz")), Is.EqualTo("Healthy"));
            Assert.That(await http.GetStringAsync(new Uri(url, "readyz")), Does.StartWith("Healthy"));
            Assert.That(await http.GetStringAsync(new Uri(url, "metrics")), Does.Contain("signaling_connections"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
