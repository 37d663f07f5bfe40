using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Relay;

/// <summary>
/// Connection state recovery on the relay (docs/SIGNALING.md, "Reconnecting"), with the official
/// clients: a transport cut under the client (its TCP socket destroyed, nothing said) and what
/// each side sees while it is away, when it comes back, and when it does not.
/// </summary>
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class RecoveryTests
{
    private static readonly TimeSpan ReconnectWait = TimeSpan.FromSeconds(20);

    private readonly List<IAsyncDisposable> _owned = [];

    [TearDown]
    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    [Test]
    public async Task A_cut_client_that_returns_within_the_window_is_itself_again_and_gets_every_relay_once_in_order()
    {
        var server = await StartAsync();
        // Reconnecting after about a second, so the candidates below go out while Bob is away.
        var (alice, bob, bobId) = await OnlinePairAsync(server, reconnect: TimeSpan.FromSeconds(1));

        await bob.CutTransportAsync();
        Assert.That((await bob.NextAsync("disconnect")).Reason, Is.EqualTo("transport close"));
        for (var i = 0; i < 200; i++)
        {
            await alice.EmitAsync("candidate", bobId, new JObject { ["n"] = i });
        }
        var back = await bob.NextAsync("connected", ReconnectWait);

        Assert.That((string?)back.Body["id"], Is.EqualTo(bobId));
        Assert.That(back.Recovered, Is.True);
        for (var i = 0; i < 200; i++)
        {
            var candidate = await bob.NextEventAsync("candidate");
            Assert.That((string?)candidate.Args[0], Is.EqualTo(alice.Id));
            Assert.That((int?)candidate.Args[1]["n"], Is.EqualTo(i), "candidates arrive in the order sent");
        }
        // A last relay after the replay: once it is in, any duplicate of the 200 would be in too.
        await alice.EmitAsync("hangup", bobId);
        await bob.NextEventAsync("hangup");
        Assert.That(bob.Received.Count(m => m.Type == "event" && m.Name == "candidate"), Is.EqualTo(200), "each candidate exactly once");
        // Presence did not flicker: every list Alice was sent since Bob went online has him.
        Assert.That(alice.Received.Where(m => m.Type == "event" && m.Name == "online").Select(m => Ids((JArray)m.Args[0])).Last(), Does.Contain(bobId));
        Assert.That(alice.Received.Where(m => m.Type == "event" && m.Name == "online").Select(m => Ids((JArray)m.Args[0])).SkipWhile(ids => !ids.Contains(bobId)).All(ids => ids.Contains(bobId)), Is.True);
    }

    [Test]
    public async Task A_recovered_client_can_relay_again_under_its_id()
    {
        var server = await StartAsync();
        var alice = await ConnectAsync(server, ClientVersion.V4);
        var bob = await ConnectAsync(server, ClientVersion.V4, reconnect: TimeSpan.FromMilliseconds(100));
        await GoOnlineAsync(bob, "Bob");
        var bobId = bob.Id!;

        await bob.CutTransportAsync();
        Assert.That((await bob.NextAsync("connected", ReconnectWait)).Recovered, Is.True);
        var answer = await bob.EmitWithAckAsync("offer", alice.Id, new JObject { ["sdp"] = "v=0" });

        Assert.That(answer.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""[{"ok":true}]"""));
        var offer = await alice.NextEventAsync("offer");
        Assert.That((string?)offer.Args[0], Is.EqualTo(bobId));
    }

    [Test]
    public async Task A_client_back_before_the_server_noticed_its_transport_fail_takes_its_socket_over()
    {
        var server = await StartAsync();
        var (alice, bob, bobId) = await OnlinePairAsync(server, reconnect: TimeSpan.FromMilliseconds(500));

        // The server's pings are 25 s apart: it cannot notice the dead transport during this test.
        await bob.BlackholeTransportAsync();
        await bob.NextAsync("disconnect");
        for (var i = 0; i < 20; i++)
        {
            await alice.EmitAsync("candidate", bobId, i);
        }
        var back = await bob.NextAsync("connected", ReconnectWait);

        Assert.That((string?)back.Body["id"], Is.EqualTo(bobId));
        Assert.That(back.Recovered, Is.True);
        for (var i = 0; i < 20; i++)
        {
            Assert.That((int?)(await bob.NextEventAsync("candidate")).Args[1], Is.EqualTo(i));
        }
        await alice.EmitAsync("hangup", bobId);
        await bob.NextEventAsync("hangup");
        Assert.That(bob.Received.Count(m => m.Type == "event" && m.Name == "candidate"), Is.EqualTo(20));
    }

    [Test]
    public async Task A_client_whose_events_the_heartbeat_proved_delivered_recovers_with_just_what_followed()
    {
        // Pings every 200 ms, 2 s to answer: events older than 4.4 s on a live connection are proven delivered and let go.
        var server = await StartAsync("--EngineIo:PingInterval=00:00:00.2", "--EngineIo:PingTimeout=00:00:02");
        var alice = await ConnectAsync(server, ClientVersion.V4);
        var bob = await ConnectAsync(server, ClientVersion.V4, reconnect: TimeSpan.FromMilliseconds(300));
        var bobId = bob.Id!;
        for (var i = 0; i < 10; i++)
        {
            await alice.EmitAsync("candidate", bobId, i);
            await bob.NextEventAsync("candidate");
        }
        var heartbeatsFrom = DateTime.UtcNow;
        while (DateTime.UtcNow - heartbeatsFrom < TimeSpan.FromSeconds(5))
        {
            await bob.NextAsync("heartbeat");
        }
        await alice.EmitAsync("candidate", bobId, 10);
        await bob.NextEventAsync("candidate");

        await bob.CutTransportAsync();
        await bob.NextAsync("disconnect");
        await alice.EmitAsync("candidate", bobId, 11);
        var back = await bob.NextAsync("connected", ReconnectWait);

        Assert.That((string?)back.Body["id"], Is.EqualTo(bobId));
        Assert.That(back.Recovered, Is.True);
        Assert.That((int?)(await bob.NextEventAsync("candidate")).Args[1], Is.EqualTo(11));
        await alice.EmitAsync("hangup", bobId);
        await bob.NextEventAsync("hangup");
        Assert.That(bob.Received.Count(m => m.Type == "event" && m.Name == "candidate"), Is.EqualTo(12));
    }

    [Test]
    public async Task A_client_back_after_the_window_gets_a_new_id_and_its_old_one_leaves_presence()
    {
        var server = await StartAsync("--SocketIo:Recovery:MaxDisconnectionDuration=00:00:01");
        var (alice, bob, bobId) = await OnlinePairAsync(server);

        await bob.CutTransportAsync();
        await bob.NextAsync("disconnect");
        var list = await NextListAsync(alice, ids => !ids.Contains(bobId));
        await alice.EmitAsync("offer", bobId, "too late");
        var error = await alice.NextEventAsync("signaling error");
        await bob.OpenAsync();
        var back = await bob.NextAsync("connected", ReconnectWait);

        Assert.That(list, Is.EqualTo(new[] { alice.Id }));
        Assert.That((string?)error.Args[0]?["reason"], Is.EqualTo("unknown-target"));
        Assert.That((string?)back.Body["id"], Is.Not.EqualTo(bobId));
        Assert.That(back.Recovered, Is.False);
    }

    [Test]
    public async Task An_away_client_sent_more_than_it_may_keep_ends_at_once()
    {
        var server = await StartAsync("--SocketIo:Recovery:MaxBufferedPackets=20");
        var (alice, bob, bobId) = await OnlinePairAsync(server);

        await bob.CutTransportAsync();
        await bob.NextAsync("disconnect");
        // The server may still be closing Bob's transport: acknowledged relays are handed over in order,
        // so once one is answered "unknown-target" the session has ended.
        for (var i = 0; ; i++)
        {
            Assert.That(i, Is.LessThan(100), "the away session should have ended after 20 unsent relays");
            var answer = await alice.EmitWithAckAsync("candidate", bobId, i);
            if ((string?)answer[0]?["error"] == "unknown-target")
            {
                break;
            }
        }
        await NextListAsync(alice, ids => !ids.Contains(bobId));
        await bob.OpenAsync();

        Assert.That((string?)(await bob.NextAsync("connected", ReconnectWait)).Body["id"], Is.Not.EqualTo(bobId));
    }

    [Test]
    public async Task A_page_that_is_left_leaves_presence_at_once()
    {
        var server = await StartAsync();
        var (alice, bob, bobId) = await OnlinePairAsync(server);

        await bob.LeaveAsync();

        // Well within the two-minute window: a browser closing its page says so (1001), and nobody comes back.
        Assert.That(await NextListAsync(alice, ids => !ids.Contains(bobId)), Is.EqualTo(new[] { alice.Id }));
    }

    [TestCase(ClientVersion.V2)]
    [TestCase(ClientVersion.V3)]
    public async Task Clients_before_recovery_reconnect_as_new_sockets(ClientVersion version)
    {
        var server = await StartAsync();
        var alice = await ConnectAsync(server, ClientVersion.V4);
        var bob = await ConnectAsync(server, version, reconnect: TimeSpan.FromMilliseconds(100));
        var bobId = bob.Id!;

        await bob.CutTransportAsync();
        var back = await bob.NextAsync("connected", ReconnectWait);
        await alice.EmitAsync("offer", back.Body["id"], "to the new socket");
        var offer = await bob.NextEventAsync("offer");

        Assert.That((string?)back.Body["id"], Is.Not.EqualTo(bobId));
        Assert.That(back.Recovered, Is.False);
        // 3.x speaks protocol v5, so it is sent offsets like any v5 client (and ignores them); 2.x never.
        Assert.That(offer.Args.Count, Is.EqualTo(version == ClientVersion.V2 ? 2 : 3));
    }

    [Test]
    public async Task With_recovery_off_a_4x_client_gets_no_offsets_and_a_new_socket_after_a_cut()
    {
        var server = await StartAsync("--SocketIo:Recovery:Enabled=false");
        var alice = await ConnectAsync(server, ClientVersion.V4);
        var bob = await ConnectAsync(server, ClientVersion.V4, reconnect: TimeSpan.FromMilliseconds(100));
        var bobId = bob.Id!;
        await alice.EmitAsync("offer", bobId, "sdp");
        var offer = await bob.NextEventAsync("offer");

        await bob.CutTransportAsync();
        var back = await bob.NextAsync("connected", ReconnectWait);

        Assert.That(offer.Args.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo(new JArray(alice.Id!, "sdp").ToString(Newtonsoft.Json.Formatting.None)));
        Assert.That((string?)back.Body["id"], Is.Not.EqualTo(bobId));
        Assert.That(back.Recovered, Is.False);
    }

    private async Task<InProcessServer> StartAsync(params string[] options)
    {
        var server = await InProcessServer.StartAsync(["serve", .. options]);
        _owned.Add(server);
        return server;
    }

    private async Task<NodeSocketClient> ConnectAsync(InProcessServer server, ClientVersion version, TimeSpan? reconnect = null)
    {
        var client = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(version, TransportMode.WebSocket)
        {
            Reconnection = reconnect is not null,
            ReconnectionDelay = reconnect,
        });
        _owned.Add(client);
        return client;
    }

    /// <summary>Alice and Bob (4.x, WebSocket) online, each seeing both; Bob reconnects by himself when <paramref name="reconnect"/> is set.</summary>
    private async Task<(NodeSocketClient Alice, NodeSocketClient Bob, string BobId)> OnlinePairAsync(InProcessServer server, TimeSpan? reconnect = null)
    {
        var alice = await ConnectAsync(server, ClientVersion.V4);
        var bob = await ConnectAsync(server, ClientVersion.V4, reconnect);
        await GoOnlineAsync(alice, "Alice");
        await GoOnlineAsync(bob, "Bob");
        await NextListAsync(alice, list => list.Contains(bob.Id));
        return (alice, bob, bob.Id!);
    }

    private static async Task GoOnlineAsync(NodeSocketClient client, string name)
    {
        await client.EmitAsync("online", name);
        await NextListAsync(client, ids => ids.Contains(client.Id));
    }

    /// <summary>The ids of the next <c>online</c> list the client receives that <paramref name="matches"/>.</summary>
    private static async Task<string[]> NextListAsync(NodeSocketClient client, Func<string[], bool> matches)
    {
        while (true)
        {
            var ids = Ids((JArray)(await client.NextEventAsync("online")).Args[0]);
            if (matches(ids))
            {
                return ids;
            }
        }
    }

    private static string[] Ids(JArray list) => [.. list.Select(entry => (string)entry["id"]!)];
}
