using System.Diagnostics;
using System.Net;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Hosting;

/// <summary>
/// <c>/metrics</c> of the server run as a process, with official clients connected: the series
/// follow what the clients do, promtool accepts the text, and a real Prometheus scrapes it.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class MetricsEndpointTests
{
    private static readonly TimeSpan SeriesLimit = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Metrics_follow_official_clients_and_pass_promtool()
    {
        var (server, url) = await ServerProcess.StartAsync();
        await using var _ = server;
        await using var alice = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var bob = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V2, TransportMode.Polling));
        await using var carol = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V3, TransportMode.PollingThenUpgrade));
        await carol.NextWhileConnectedAsync(m => m.Type == "upgrade", "upgrade");
        await alice.EmitAsync("online", "alice");
        await bob.EmitAsync("online", "bob");
        await alice.NextWhileConnectedAsync(m => m.Type == "event" && m.Name == "online" && m.Args[0].Count() == 2, "both online");
        Assert.That((bool?)(await alice.EmitWithAckAsync("offer", bob.Id, new JObject { ["type"] = "offer", ["sdp"] = "v=0" }))[0]["ok"], Is.True);
        await bob.NextEventAsync("offer");
        await bob.EmitAsync("candidate", alice.Id, new JObject { ["candidate"] = "c" });
        await alice.NextEventAsync("candidate");
        Assert.That((string?)(await alice.EmitWithAckAsync("candidate", "nobody"))[0]["error"], Is.EqualTo("unknown-target"));

        var metrics = await ScrapeUntilAsync(url, m =>
            m.Sum("signaling_relayed_total", ("event", "offer")) == 1
            && m.Sum("signaling_relayed_total", ("event", "candidate")) == 1
            && m.Sum("signaling_unknown_targets_total") == 1
            && m.Sum("signaling_presence_users") == 2);
        Assert.Multiple(() =>
        {
            Assert.That(metrics.Sum("signaling_connections", ("transport", "websocket"), ("engineio_version", "4")), Is.EqualTo(2), "alice, and carol after her upgrade");
            Assert.That(metrics.Sum("signaling_connections", ("transport", "polling"), ("engineio_version", "3")), Is.EqualTo(1), "bob");
            Assert.That(metrics.Sum("signaling_connections", ("transport", "polling"), ("engineio_version", "4")), Is.Zero, "carol left polling");
            Assert.That(metrics.Sum("signaling_handshakes_total", ("transport", "polling")), Is.EqualTo(2), "bob and carol opened over polling");
            Assert.That(metrics.Sum("signaling_handshakes_total", ("transport", "websocket")), Is.EqualTo(1));
            Assert.That(metrics.Sum("signaling_events_received_total"), Is.EqualTo(5), "2 online, offer, 2 candidates");
            // 2 recipients of each presence list, however the lists were coalesced, plus the 2 relayed events.
            Assert.That(metrics.Sum("signaling_events_sent_total"), Is.GreaterThanOrEqualTo(4));
            Assert.That(metrics.Sum("signaling_received_bytes_total"), Is.GreaterThan(0));
            Assert.That(metrics.Sum("signaling_sent_bytes_total"), Is.GreaterThan(metrics.Sum("signaling_received_bytes_total")), "handshakes and presence lists go out");
        });
        await PromtoolCheckAsync(metrics.Text);

        await alice.DisposeAsync();
        metrics = await ScrapeUntilAsync(url, m => m.Sum("signaling_connections", ("transport", "websocket")) == 1);
        Assert.That(metrics.Sum("signaling_disconnects_total"), Is.EqualTo(1), metrics.Text);
        Assert.That(metrics.Sum("signaling_presence_users"), Is.EqualTo(1), metrics.Text);
    }

    [Test]
    public async Task Metrics_urls_serve_metrics_on_their_own_address_only()
    {
        var metricsPort = PrometheusServer.FreePort();
        var (server, url) = await ServerProcess.StartAsync($"--Metrics:Urls=http://127.0.0.1:{metricsPort}");
        await using var _ = server;
        var metricsUrl = new Uri($"http://127.0.0.1:{metricsPort}/");
        using var http = new HttpClient();
        Assert.Multiple(async () =>
        {
            Assert.That((await http.GetAsync(new Uri(url, "metrics"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "not on the main address");
            Assert.That((await http.GetAsync(new Uri(metricsUrl, "metrics"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await http.GetAsync(new Uri(metricsUrl, "readyz"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await http.GetAsync(new Uri(metricsUrl, "healthz"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await http.GetAsync(metricsUrl)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no page on the metrics address");
            Assert.That((await http.GetAsync(new Uri(metricsUrl, "socket.io/?EIO=4&transport=polling"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "no Engine.IO there");
            Assert.That((await http.GetAsync(new Uri(url, "socket.io/?EIO=4&transport=polling"))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "Engine.IO on the main address");
        });
        // A WebSocket too, which the main addresses serve before Kestrel sees it.
        await using var client = NodeSocketClient.Start(metricsUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await client.OpenAsync();
        Assert.That((await client.NextAsync(m => m.Type is "connected" or "connect_error", "connect outcome")).Type, Is.EqualTo("connect_error"));
    }

    [TestCase("http://127.0.0.1:0", "needs a port of its own")]
    [TestCase("http://127.0.0.1:3000", "which --urls uses too")]
    [TestCase("http://[::1", "is not a listen address")]
    public async Task Metrics_urls_without_a_port_of_their_own_are_refused_at_start(string metricsUrls, string message)
    {
        var (exitCode, output) = await ServerProcess.RunAsync("--urls", "http://127.0.0.1:3000", $"--Metrics:Urls={metricsUrls}");
        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain(message));
    }

    [Test]
    public async Task Metrics_can_be_turned_off()
    {
        var (server, url) = await ServerProcess.StartAsync("--Metrics:Enabled=false");
        await using var _ = server;
        using var http = new HttpClient();
        Assert.That((await http.GetAsync(new Uri(url, "metrics"))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Prometheus_scrapes_the_open_connections()
    {
        var metricsPort = PrometheusServer.FreePort();
        var (server, url) = await ServerProcess.StartAsync($"--Metrics:Urls=http://127.0.0.1:{metricsPort}");
        await using var _ = server;
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{metricsPort}");
        await using var first = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var second = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V1, TransportMode.Polling));
        await using var third = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.Polling));

        await prometheus.WaitForValueAsync("up{job=\"signaling\"}", 1, SeriesLimit);
        await prometheus.WaitForValueAsync("sum(signaling_connections)", 3, SeriesLimit);
        await prometheus.WaitForValueAsync("sum(signaling_connections{transport=\"polling\",engineio_version=\"3\"})", 1, SeriesLimit);

        await third.DisposeAsync();
        await prometheus.WaitForValueAsync("sum(signaling_connections)", 2, SeriesLimit);
        await prometheus.WaitForValueAsync("sum(signaling_disconnects_total)", 1, SeriesLimit);
    }

    /// <summary>Scrapes <c>/metrics</c> until <paramref name="expected"/> holds: the exporter may answer from a cache a moment old.</summary>
    private static async Task<PrometheusText> ScrapeUntilAsync(Uri url, Func<PrometheusText, bool> expected)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + SeriesLimit;
        while (true)
        {
            var metrics = new PrometheusText(await http.GetStringAsync(new Uri(url, "metrics")));
            if (expected(metrics))
            {
                return metrics;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The metrics did not reach the expected values within {SeriesLimit.TotalSeconds} s:\n{metrics}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Debian's <c>promtool check metrics</c>, which reads the exposition on stdin: it must find nothing to complain about.</summary>
    private static async Task PromtoolCheckAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var promtool = Process.Start(start)!;
        var output = promtool.StandardOutput.ReadToEndAsync();
        var errors = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(exposition);
        promtool.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await promtool.WaitForExitAsync(timeout.Token);
        var said = (await output + await errors).Trim();
        Assert.That(promtool.ExitCode, Is.Zero, said);
        Assert.That(said, Is.Empty, "promtool's lint findings");
    }
}
