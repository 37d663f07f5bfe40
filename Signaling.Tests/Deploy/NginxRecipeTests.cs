using System.Net;
using Signaling.Tests.Infrastructure;
using static Signaling.Tests.Deploy.ProxiedSessions;

namespace Signaling.Tests.Deploy;

/// <summary>
/// deploy/nginx/webrtc-signaling.conf, run by Debian's nginx with only its addresses, ports and
/// certificate paths replaced, terminating TLS (a certificate made by the test) in front of two
/// of our server processes. Official Node.js clients, which check the certificate, connect through it.
/// </summary>
[TestFixture]
[NonParallelizable] // two server processes, nginx and several Node clients at once
public sealed class NginxRecipeTests
{
    private SelfSignedCertificate _certificate = null!;
    private TwoNodes _nodes = null!;
    private NginxProxy _nginx = null!;

    /// <summary>A client that trusts the test's certificate, as a browser trusts a real one.</summary>
    private NodeClientOptions Client(ClientVersion version, TransportMode transport) =>
        new(version, transport) { CertificateAuthority = _certificate.CertificatePem };

    [OneTimeSetUp]
    public async Task Start()
    {
        _certificate = SelfSignedCertificate.Create();
        _nodes = await TwoNodes.StartAsync($"--Server:ForwardedHeaders:KnownProxies:0={NginxProxy.ProxyAddress}");
        _nginx = await NginxProxy.StartAsync(_nodes.Urls, _certificate);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Test]
    public async Task Polling_only_clients_4x_and_2x_exchange_events_through_nginx_on_one_node_each()
    {
        var alice = await ConnectAsync(_nginx.HttpsUrl, Client(ClientVersion.V4, TransportMode.Polling));
        await using var _ = alice;
        var bob = await ConnectAsync(_nginx.HttpsUrl, Client(ClientVersion.V2, TransportMode.Polling));
        await using var __ = bob;

        await RelayAsync(alice, bob, 50);
        await RelayAsync(bob, alice, 50);
        // Several ping cycles, each a new poll of the session, then more traffic.
        await Task.WhenAll(HeartbeatsAsync(alice, 3), HeartbeatsAsync(bob, 3));
        await RelayAsync(alice, bob, 20);
        await RelayAsync(bob, alice, 20);

        AssertUninterrupted(alice);
        AssertUninterrupted(bob);
        Assert.That(alice.Transport, Is.EqualTo("polling"));
        Assert.That(bob.Transport, Is.EqualTo("polling"));
        var sessions = AssertSessionsStayedOnOneNode(_nginx.Requests, _nginx.AccessLog);
        Assert.That(sessions, Has.Count.GreaterThanOrEqualTo(2), _nginx.AccessLog);
        // Both clients come from 127.0.0.1, so hashing the address sends both to the same node.
        Assert.That(sessions.Values.Distinct(), Has.Exactly(1).Items, _nginx.AccessLog);
    }

    [Test]
    public async Task WebSocket_clients_and_upgrades_from_polling_work_through_nginx()
    {
        var direct = await ConnectAsync(_nginx.HttpsUrl, Client(ClientVersion.V4, TransportMode.WebSocket));
        await using var _ = direct;
        var upgraded4 = await ConnectAsync(_nginx.HttpsUrl, Client(ClientVersion.V4, TransportMode.PollingThenUpgrade));
        await using var __ = upgraded4;
        var upgraded2 = await ConnectAsync(_nginx.HttpsUrl, Client(ClientVersion.V2, TransportMode.PollingThenUpgrade));
        await using var ___ = upgraded2;

        Assert.That(direct.Transport, Is.EqualTo("websocket"));
        foreach (var client in new[] { upgraded4, upgraded2 })
        {
            Assert.That((await client.NextWhileConnectedAsync(m => m.Type == "upgrade", "upgrade", TimeSpan.FromSeconds(20))).Transport, Is.EqualTo("websocket"));
        }
        await RelayAsync(direct, upgraded2, 30);
        await RelayAsync(upgraded2, upgraded4, 30);
        await RelayAsync(upgraded4, direct, 30);
        await Task.WhenAll(HeartbeatsAsync(direct, 2), HeartbeatsAsync(upgraded4, 2), HeartbeatsAsync(upgraded2, 2));

        foreach (var client in new[] { direct, upgraded4, upgraded2 })
        {
            AssertUninterrupted(client);
        }
        AssertSessionsStayedOnOneNode(_nginx.Requests, _nginx.AccessLog);
        // The WebSockets are logged once they close; the clients are still connected here, so
        // wait for them to end before reading the log of their upgrades.
        await Task.WhenAll(direct.DisposeAsync().AsTask(), upgraded4.DisposeAsync().AsTask(), upgraded2.DisposeAsync().AsTask());
        await WaitForAsync(() => _nginx.Requests.Count(r => r.Status == 101) >= 3, () => $"three WebSockets (101) in nginx's log:\n{_nginx.AccessLog}");
    }

    [Test]
    public async Task The_page_is_served_over_https_and_plain_http_is_redirected_to_it()
    {
        using var https = _certificate.CreateHttpClient();
        Assert.That(await https.GetStringAsync(_nginx.HttpsUrl), Does.Contain("js/main.js"));

        using var http = _certificate.CreateHttpClient(followRedirects: false);
        using var redirect = await http.GetAsync(new Uri(_nginx.HttpUrl, "some/page?x=1"));
        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.MovedPermanently));
        Assert.That(redirect.Headers.Location, Is.EqualTo(new Uri("https://127.0.0.1/some/page?x=1")));
    }

    [Test]
    public async Task Without_the_hash_line_polling_sessions_are_sent_to_the_other_node_and_refused()
    {
        // The same recipe minus `hash $remote_addr consistent;`: nginx then alternates between the nodes.
        await using var roundRobin = await NginxProxy.StartAsync(_nodes.Urls, _certificate, withoutStickiness: true);
        await using var client = NodeSocketClient.Start(roundRobin.HttpsUrl, Client(ClientVersion.V4, TransportMode.Polling));
        await client.OpenAsync();
        await client.NextAsync(m => m.Type is "connect_error" or "disconnect", "the session failing", TimeSpan.FromSeconds(20));

        await WaitForAsync(() => roundRobin.Requests.Any(r => r.Status == 400 && r.Sid is not null), () => $"a 400 for a session's request:\n{roundRobin.AccessLog}");
    }

    [TestCase(TransportMode.Polling)]
    [TestCase(TransportMode.WebSocket)]
    public async Task The_servers_log_shows_the_clients_address_from_x_forwarded_for(TransportMode transport)
    {
        var name = $"Forwarded-{transport}";
        await using var client = await ConnectAsync(_nginx.HttpsUrl, Client(ClientVersion.V4, transport));

        await client.EmitAsync("online", name);
        await client.NextEventAsync("online", TimeSpan.FromSeconds(20));

        // Clients connect to nginx from 127.0.0.1, nginx to the nodes from 127.0.0.3.
        await WaitForAsync(() => _nodes.Output.Contains($"is online as {name} from 127.0.0.1 ", StringComparison.Ordinal), () => $"the online line with the client's address:\n{_nodes.Output}");
        Assert.That(_nodes.Output, Does.Not.Contain($"is online as {name} from {NginxProxy.ProxyAddress}"));
    }

    /// <summary>nginx and the nodes write their logs on their own; nothing announces a line, so look again shortly.</summary>
    private static async Task WaitForAsync(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), what);
            await Task.Delay(50);
        }
    }
}
