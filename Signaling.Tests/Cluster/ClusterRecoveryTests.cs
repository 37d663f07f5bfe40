using System.Diagnostics;
using System.Text;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Hosting;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>
/// Connection state recovery across two of our nodes (separate processes) on one redis-server:
/// a 4.x client whose transport is cut on one node (its TCP socket destroyed, nothing said) and
/// that comes back to the other, as behind a load balancer that sends it elsewhere.
/// </summary>
[TestFixture(false, TestName = "Classic")]
[TestFixture(true, TestName = "Sharded")]
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class ClusterRecoveryTests(bool sharded) : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectWait = TimeSpan.FromSeconds(20);

    private readonly List<IAsyncDisposable> _owned = [];
    private RedisServer _redis = null!;

    [Test]
    public async Task A_client_cut_on_one_node_that_comes_back_to_the_other_is_itself_and_gets_every_relay_once_in_order()
    {
        var (first, second) = await StartClusterAsync();
        var (alice, bob, carol) = await OnlineAsync(first, second);
        await PresenceLists.NextAsync(alice, l => l.Count == 3);
        await PresenceLists.NextAsync(bob, l => l.Count == 3);
        var bobId = bob.Id!;

        await bob.CutTransportAsync();
        Assert.That((await bob.NextAsync("disconnect")).Reason, Is.EqualTo("transport close"));
        // Relays to Bob from his own node and from the other, while he is away: all acknowledged.
        const int candidates = 100;
        for (var i = 0; i < candidates; i++)
        {
            var sender = i % 2 == 0 ? alice : carol;
            JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await sender.EmitWithAckAsync("candidate", bobId, new JObject { ["n"] = i }));
        }
        await bob.MoveToAsync(second.Url);
        await bob.OpenAsync();
        var back = await bob.NextAsync("connected", ReconnectWait);

        Assert.That((string?)back.Body["id"], Is.EqualTo(bobId));
        Assert.That(back.Recovered, Is.True);
        var received = new List<(string? From, int N)>();
        for (var i = 0; i < candidates; i++)
        {
            var candidate = await bob.NextEventAsync("candidate");
            received.Add(((string?)candidate.Args[0], (int)candidate.Args[1]["n"]!));
        }
        // In the order each sender sent them (docs/SIGNALING.md promises no order between senders:
        // Carol's are acknowledged once published, before Bob's old node hears them).
        Assert.That(received.Where(r => r.From == alice.Id).Select(r => r.N), Is.EqualTo(Enumerable.Range(0, candidates).Where(i => i % 2 == 0)), "Alice's in order");
        Assert.That(received.Where(r => r.From == carol.Id).Select(r => r.N), Is.EqualTo(Enumerable.Range(0, candidates).Where(i => i % 2 == 1)), "Carol's in order");
        // Relays after the return, from both nodes: Bob's old node now sends his through Redis.
        await alice.EmitAsync("hangup", bobId);
        await bob.NextEventAsync("hangup");
        await carol.EmitAsync("hangup", bobId);
        await bob.NextEventAsync("hangup");
        Assert.That(bob.Received.Count(m => m.Type == "event" && m.Name == "candidate"), Is.EqualTo(candidates), "each candidate exactly once");
        await bob.EmitAsync("answer", alice.Id, new JObject { ["type"] = "answer" });
        // Alice may recover too: her events end with an offset.
        JsonAssert.AreEqual(new JArray(bobId, new JObject { ["type"] = "answer" }), new JArray((await alice.NextEventAsync("answer")).Args.Take(2)));

        // Presence: everyone on both nodes still lists Bob once, and a newcomer is seen by all.
        var dave = await ConnectAsync(first);
        string[] expected = [alice.Id!, bobId, carol.Id!, dave.Id!];
        Assert.That((await GoOnlineAsync(dave, "Dave", alice.Id!, bobId, carol.Id!)).Select(e => (string?)e["id"]), Is.EqualTo(expected));
        foreach (var client in new[] { alice, bob, carol })
        {
            var list = await PresenceLists.NextAsync(client, l => l.Count == 4);
            Assert.That(list.Select(e => (string?)e["id"]), Is.EqualTo(expected));
        }
        // Bob leaving on his new node leaves every list.
        await bob.DisconnectAsync();
        foreach (var client in new[] { alice, carol, dave })
        {
            var list = await PresenceLists.NextAsync(client, l => l.All(e => (string?)e["id"] != bobId));
            Assert.That(list.Select(e => (string?)e["id"]), Is.EqualTo(new[] { alice.Id, carol.Id, dave.Id }));
        }
    }

    [Test]
    public async Task A_client_that_comes_back_to_the_other_node_after_the_window_gets_a_new_id_and_leaves_every_list()
    {
        var (first, second) = await StartClusterAsync("--SocketIo:Recovery:MaxDisconnectionDuration=00:00:02");
        var (alice, bob, carol) = await OnlineAsync(first, second);
        var bobId = bob.Id!;

        await bob.CutTransportAsync();
        await bob.NextAsync("disconnect");
        foreach (var client in new[] { alice, carol })
        {
            await PresenceLists.NextAsync(client, l => l.All(e => (string?)e["id"] != bobId), ReconnectWait);
        }
        await bob.MoveToAsync(second.Url);
        await bob.OpenAsync();
        var back = await bob.NextAsync("connected", ReconnectWait);

        Assert.That((string?)back.Body["id"], Is.Not.EqualTo(bobId));
        Assert.That(back.Recovered, Is.False);
        JsonAssert.AreEqual(new JArray(new JObject { ["error"] = "unknown-target" }), await carol.EmitWithAckAsync("offer", bobId, new JObject()));
    }

    [Test]
    public async Task A_client_away_from_a_node_that_dies_recovers_on_the_other_and_is_listed_again()
    {
        var (first, second) = await StartClusterAsync();
        var bob = await ConnectAsync(first);
        var carol = await ConnectAsync(second);
        await GoOnlineAsync(bob, "Bob");
        await GoOnlineAsync(carol, "Carol", bob.Id!);
        var bobId = bob.Id!;
        // Bob has Carol's list before the cut, so the events kept for him are the candidates alone.
        await PresenceLists.NextAsync(bob, l => l.Count == 2);

        await bob.CutTransportAsync();
        await bob.NextAsync("disconnect");
        const int candidates = 20;
        for (var i = 0; i < candidates; i++)
        {
            JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await carol.EmitWithAckAsync("candidate", bobId, new JObject { ["n"] = i }));
        }
        // Bob's node has written them all to Redis (his pid is the one key of each kind) before it dies.
        await using var redis = await RedisClient.ConnectAsync(_redis.Port);
        var missed = await Eventually.ValueAsync(async () => await KeyAsync(redis, "socket.io-missed#/#*"), key => key is not null, "Bob's missed events in Redis");
        // Carol's acks come once her node has published; Bob's node writes each to Redis after that.
        await Eventually.ValueAsync(async () => Encoding.UTF8.GetString((byte[])(await redis.CommandAsync("LINDEX", missed!, "-1"))!), last => last.Contains($"{{\\\"n\\\":{candidates - 1}}}"), "the last candidate kept in Redis");
        var session = await KeyAsync(redis, "socket.io-session#/#*");
        TestContext.Out.WriteLine($"Redis for one away socket: session {await redis.CommandAsync("MEMORY", "USAGE", session!)} B, {candidates} missed candidates {await redis.CommandAsync("MEMORY", "USAGE", missed!)} B");
        Process.GetProcessById(first.Process.Id).Kill();
        await PresenceLists.NextAsync(carol, l => l.All(e => (string?)e["id"] != bobId), TimeSpan.FromSeconds(15));

        await bob.MoveToAsync(second.Url);
        await bob.OpenAsync();
        var back = await bob.NextAsync("connected", ReconnectWait);

        Assert.That((string?)back.Body["id"], Is.EqualTo(bobId));
        Assert.That(back.Recovered, Is.True);
        for (var i = 0; i < candidates; i++)
        {
            Assert.That((int?)(await bob.NextEventAsync("candidate")).Args[1]["n"], Is.EqualTo(i));
        }
        var list = await PresenceLists.NextAsync(carol, l => l.Any(e => (string?)e["id"] == bobId));
        Assert.That(list.Select(e => (string?)e["id"]), Is.EqualTo(new[] { bobId, carol.Id }), "Bob listed again, first as he came online first");
    }

    public async ValueTask DisposeAsync()
    {
        var owned = _owned.ToArray();
        _owned.Clear();
        await new AsyncDisposables(owned).DisposeAsync();
    }

    private async Task<(Node First, Node Second)> StartClusterAsync(params string[] options)
    {
        _redis = await RedisServer.StartAsync();
        _owned.Add(_redis);
        return (await StartNodeAsync(_redis, options), await StartNodeAsync(_redis, options));
    }

    private async Task<Node> StartNodeAsync(RedisServer redis, string[] options)
    {
        var (process, url) = await ServerProcess.StartAsync(["serve", $"--Redis:Configuration={redis.Configuration}", $"--Redis:Sharded={sharded}", .. options]);
        _owned.Add(process);
        return new Node(process, url);
    }

    private async Task<NodeSocketClient> ConnectAsync(Node node)
    {
        var client = await NodeSocketClient.ConnectAsync(node.Url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        _owned.Add(client);
        return client;
    }

    private static async Task<string?> KeyAsync(RedisClient redis, string pattern) =>
        await redis.CommandAsync("KEYS", pattern) is object?[] { Length: 1 } keys ? Encoding.UTF8.GetString((byte[])keys[0]!) : null;

    /// <summary>Alice and Bob on the first node, Carol on the second, all online (4.x, WebSocket).</summary>
    private async Task<(NodeSocketClient Alice, NodeSocketClient Bob, NodeSocketClient Carol)> OnlineAsync(Node first, Node second)
    {
        var alice = await ConnectAsync(first);
        var bob = await ConnectAsync(first);
        var carol = await ConnectAsync(second);
        await GoOnlineAsync(alice, "Alice");
        await GoOnlineAsync(bob, "Bob", alice.Id!);
        await GoOnlineAsync(carol, "Carol", alice.Id!, bob.Id!);
        return (alice, bob, carol);
    }

    /// <summary>Goes online and waits for a list of its own that holds every id in <paramref name="seen"/>.</summary>
    private static async Task<JArray> GoOnlineAsync(NodeSocketClient client, string name, params string[] seen)
    {
        await client.EmitAsync("online", name);
        return await PresenceLists.NextAsync(client, l => seen.All(id => l.Any(e => (string?)e["id"] == id)) && l.Any(e => (string?)e["id"] == client.Id));
    }

    private sealed record Node(ServerProcess Process, Uri Url);
}
