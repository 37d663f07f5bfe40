using Signaling.Tests.Infrastructure;
using static Signaling.Tests.Deploy.ProxiedSessions;

namespace Signaling.Tests.Deploy;

/// <summary>
/// deploy/haproxy/webrtc-signaling.cfg, run by Debian's HAProxy with only its addresses and ports
/// replaced, balancing new sessions round-robin over two of our server processes and keeping each
/// on its node with the cookie it inserts. Official Node.js clients connect through it; 4.x keeps
/// cookies in Node with <c>withCredentials: true</c>.
/// </summary>
[TestFixture]
[NonParallelizable] // two server processes, HAProxy and several Node clients at once
public sealed class HaproxyRecipeTests
{

    private TwoNodes _nodes = null!;
    private HaproxyProxy _haproxy = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _nodes = await TwoNodes.StartAsync();
        _haproxy = await HaproxyProxy.StartAsync(_nodes.Urls);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_haproxy is not null)
        {
            await _haproxy.DisposeAsync();
        }
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }
    }

    [Test]
    public async Task Polling_clients_that_keep_the_cookie_stay_on_their_node_while_sessions_spread_over_both()
    {
        var clients = new List<NodeSocketClient>();
        await using var _ = new AsyncDisposables(clients);
        for (var i = 0; i < 4; i++)
        {
            clients.Add(await ConnectAsync(_haproxy.Url, new NodeClientOptions(ClientVersion.V4, TransportMode.Polling) { WithCredentials = true }));
        }

        // The nodes share nothing, and round-robin puts neighbours on different nodes: each
        // client relays to itself, which still takes its requests both ways through the proxy.
        await Task.WhenAll(clients.Select(c => RelayAsync(c, c, 40)));
        await Task.WhenAll(clients.Select(c => HeartbeatsAsync(c, 3)));
        await Task.WhenAll(clients.Select(c => RelayAsync(c, c, 20)));

        foreach (var client in clients)
        {
            AssertUninterrupted(client);
            Assert.That(client.Transport, Is.EqualTo("polling"));
        }
        var sessions = AssertSessionsStayedOnOneNode(_haproxy.Requests, _haproxy.Log);
        Assert.That(sessions.Values.Distinct().Order(), Is.EqualTo(new[] { "node1", "node2" }), $"new sessions go to both nodes:\n{_haproxy.Log}");
    }

    [Test]
    public async Task WebSocket_clients_and_upgrades_from_polling_work_through_haproxy()
    {
        var direct4 = await ConnectAsync(_haproxy.Url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var _ = direct4;
        var direct2 = await ConnectAsync(_haproxy.Url, new NodeClientOptions(ClientVersion.V2, TransportMode.WebSocket));
        await using var __ = direct2;
        var upgraded = await ConnectAsync(_haproxy.Url, new NodeClientOptions(ClientVersion.V4, TransportMode.PollingThenUpgrade) { WithCredentials = true });
        await using var ___ = upgraded;

        Assert.That(direct4.Transport, Is.EqualTo("websocket"));
        Assert.That(direct2.Transport, Is.EqualTo("websocket"));
        Assert.That((await upgraded.NextWhileConnectedAsync(m => m.Type == "upgrade", "upgrade", TimeSpan.FromSeconds(20))).Transport, Is.EqualTo("websocket"));
        await Task.WhenAll(new[] { direct4, direct2, upgraded }.Select(c => RelayAsync(c, c, 30)));
        await Task.WhenAll(new[] { direct4, direct2, upgraded }.Select(c => HeartbeatsAsync(c, 2)));

        foreach (var client in new[] { direct4, direct2, upgraded })
        {
            AssertUninterrupted(client);
        }
        AssertSessionsStayedOnOneNode(_haproxy.Requests, _haproxy.Log);
    }

    [Test]
    public async Task A_polling_client_that_keeps_no_cookies_loses_its_session()
    {
        // What the README warns of: without the cookie, round-robin sends the session's next
        // request to the other node. A proxy of its own, so that its 400s stay out of the others' log.
        await using var haproxy = await HaproxyProxy.StartAsync(_nodes.Urls);
        await using var client = NodeSocketClient.Start(haproxy.Url, new NodeClientOptions(ClientVersion.V4, TransportMode.Polling));
        await client.OpenAsync();

        await client.NextAsync(m => m.Type is "connect_error" or "disconnect", "the session failing", TimeSpan.FromSeconds(20));
    }

    [Test]
    public async Task Without_the_cookie_line_polling_sessions_are_sent_to_the_other_node()
    {
        await using var roundRobin = await HaproxyProxy.StartAsync(_nodes.Urls, withoutStickiness: true);
        await using var client = NodeSocketClient.Start(roundRobin.Url, new NodeClientOptions(ClientVersion.V4, TransportMode.Polling) { WithCredentials = true });
        await client.OpenAsync();

        await client.NextAsync(m => m.Type is "connect_error" or "disconnect", "the session failing", TimeSpan.FromSeconds(20));
    }
}
