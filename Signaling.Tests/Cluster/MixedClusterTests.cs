using System.Diagnostics;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Hosting;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>
/// One of our servers (a process running <c>serve</c>) and a Node.js node (js/cluster-node.js:
/// socket.io 4.8.4 + @socket.io/redis-adapter 8.3.0, the same presence convention) on one
/// redis-server, with a 4.x client on ours and a 2.x client on the Node node: presence, the relay
/// both ways, and the Node node's fetchSockets and broadcasts reaching our sockets.
/// </summary>
[TestFixture(ClusterAdapterMode.Classic)]
[TestFixture(ClusterAdapterMode.Sharded)]
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class MixedClusterTests(ClusterAdapterMode mode) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    [Test]
    public async Task Presence_and_the_relay_span_our_node_and_a_Node_node()
    {
        var (ours, node) = await StartClusterAsync();
        var alice = await ConnectAsync(ours, ClientVersion.V4);
        var bob = await ConnectAsync(node.BaseUrl, ClientVersion.V2);

        await PresenceLists.BothOnlineAsync(alice, "Alice", bob, "Bob");

        var offer = new JObject { ["type"] = "offer", ["sdp"] = "v=0..." };
        JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await alice.EmitWithAckAsync("offer", bob.Id, offer));
        JsonAssert.AreEqual(new JArray(alice.Id!, offer), (await bob.NextEventAsync("offer")).Args);
        JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await bob.EmitWithAckAsync("answer", alice.Id, new JObject { ["type"] = "answer" }));
        JsonAssert.AreEqual(new JArray(bob.Id!, new JObject { ["type"] = "answer" }), RecoveredEvents.WithoutOffset((await alice.NextEventAsync("answer")).Args));
        for (var i = 0; i < 100; i++)
        {
            await bob.EmitAsync("candidate", alice.Id, i);
        }
        for (var i = 0; i < 100; i++)
        {
            Assert.That((int)(await alice.NextEventAsync("candidate")).Args[1], Is.EqualTo(i), "candidates from the Node node in order");
        }

        var stopping = Stopwatch.StartNew();
        await node.StopAsync();
        var after = await PresenceLists.NextAsync(alice, l => l.Count == 1, TimeSpan.FromSeconds(5));
        Assert.That((string?)after[0]["id"], Is.EqualTo(alice.Id));
        TestContext.Out.WriteLine($"The stopped Node node's users left our list after {stopping.ElapsedMilliseconds} ms");
    }

    [Test]
    public async Task The_Node_node_fetches_our_sockets_and_reaches_them_by_room()
    {
        var (ours, node) = await StartClusterAsync();
        var alice = await ConnectAsync(ours, ClientVersion.V4);
        await alice.EmitAsync("online", "Alice");
        await PresenceLists.NextAsync(alice, l => l.Count == 1);

        var sockets = (JArray)await node.CommandAsync("fetchSockets");
        var seen = sockets.Single(s => (string?)s["id"] == alice.Id);
        Assert.That((string?)seen["data"]?["name"], Is.EqualTo("Alice"));
        Assert.That(seen["data"]?["onlineAt"]?.Type, Is.EqualTo(JTokenType.Integer));
        Assert.That((string?)seen["handshake"]?["query"]?["EIO"], Is.EqualTo("4"));
        Assert.That(seen["rooms"]!.Select(r => (string?)r), Does.Contain(alice.Id));

        await node.CommandAsync("emit", new JObject { ["event"] = "hello", ["args"] = new JArray("from node"), ["rooms"] = new JArray(alice.Id!) });
        JsonAssert.AreEqual(new JArray("from node"), RecoveredEvents.WithoutOffset((await alice.NextEventAsync("hello")).Args));
        await node.CommandAsync("socketsJoin", new JObject { ["join"] = new JArray("blue"), ["rooms"] = new JArray(alice.Id!) });
        // The join reaches our node through Redis, after socketsJoin returns on the Node node; a
        // sharded node subscribes to the room's channel only then, so the emit waits for it.
        await WaitUntilInRoomAsync(node, alice.Id!, "blue");
        await node.CommandAsync("emit", new JObject { ["event"] = "to blue", ["args"] = new JArray(1), ["rooms"] = new JArray("blue") });
        JsonAssert.AreEqual(new JArray(1), RecoveredEvents.WithoutOffset((await alice.NextEventAsync("to blue")).Args));
    }

    [Test]
    public async Task A_Node_node_killed_and_restarted_leaves_our_clients_served_and_rejoins_the_cluster()
    {
        var (ours, node, redis) = await StartClusterWithRedisAsync();
        var alice = await ConnectAsync(ours, ClientVersion.V4);
        var bob = await ConnectAsync(node.BaseUrl, ClientVersion.V2);
        await PresenceLists.BothOnlineAsync(alice, "Alice", bob, "Bob");

        await node.KillAsync();
        // No word from a killed Node node (neither Node adapter has a heartbeat): its sockets leave the lists at the
        // next presence change, when the fetch no longer counts the node (Redis dropped its connections).
        var carol = await ConnectAsync(ours, ClientVersion.V4);
        await carol.EmitAsync("online", "Carol");
        var list = await PresenceLists.NextAsync(alice, l => l.All(e => (string?)e["id"] != bob.Id) && l.Count == 2);
        Assert.That(list.Select(e => (string?)e["id"]), Is.EqualTo(new[] { alice.Id, carol.Id }));
        JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await alice.EmitWithAckAsync("offer", carol.Id, new JObject { ["type"] = "offer" }));
        // A relay on one node carries the 4.x client's recovery offset after its arguments.
        JsonAssert.AreEqual(new JArray(alice.Id!, new JObject { ["type"] = "offer" }), RecoveredEvents.WithoutOffset((await carol.NextEventAsync("offer")).Args));
        JsonAssert.AreEqual(new JArray(new JObject { ["error"] = "unknown-target" }), await alice.EmitWithAckAsync("offer", bob.Id, new JObject()));

        var restarted = await NodeClusterNode.StartAsync(redis, node.Options with { Port = node.Port });
        _owned.Add(restarted);
        var dave = await ConnectAsync(restarted.BaseUrl, ClientVersion.V2);
        await dave.EmitAsync("online", "Dave");
        foreach (var client in new[] { alice, dave })
        {
            list = await PresenceLists.NextAsync(client, l => l.Count == 3);
            Assert.That(list.Select(e => (string?)e["id"]), Is.EqualTo(new[] { alice.Id, carol.Id, dave.Id }), $"{client}'s list after the restart");
        }
        JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await alice.EmitWithAckAsync("offer", dave.Id, new JObject { ["type"] = "offer" }));
        JsonAssert.AreEqual(new JArray(alice.Id!, new JObject { ["type"] = "offer" }), (await dave.NextEventAsync("offer")).Args);
        JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await dave.EmitWithAckAsync("answer", alice.Id, new JObject { ["type"] = "answer" }));
        JsonAssert.AreEqual(new JArray(dave.Id!, new JObject { ["type"] = "answer" }), RecoveredEvents.WithoutOffset((await alice.NextEventAsync("answer")).Args));
    }

    private static async Task WaitUntilInRoomAsync(NodeClusterNode node, string socketId, string room)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var sockets = (JArray)await node.CommandAsync("fetchSockets");
            var rooms = sockets.SingleOrDefault(s => (string?)s["id"] == socketId)?["rooms"]?.Select(r => (string?)r) ?? [];
            if (rooms.Contains(room))
            {
                // One more round trip: the room's subscription was sent along with the join.
                await node.CommandAsync("fetchSockets");
                return;
            }
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{socketId} never joined {room}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _owned.Reverse();
        var owned = _owned.ToArray();
        _owned.Clear();
        await new AsyncDisposables(owned).DisposeAsync();
    }

    private async Task<(Uri Ours, NodeClusterNode Node)> StartClusterAsync()
    {
        var (ours, node, _) = await StartClusterWithRedisAsync();
        return (ours, node);
    }

    private async Task<(Uri Ours, NodeClusterNode Node, RedisServer Redis)> StartClusterWithRedisAsync()
    {
        var redis = await RedisServer.StartAsync();
        _owned.Add(redis);
        var (process, url) = await ServerProcess.StartAsync(
            "serve", $"--Redis:Configuration={redis.Configuration}", $"--Redis:Sharded={mode == ClusterAdapterMode.Sharded}");
        _owned.Add(process);
        var node = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(mode));
        _owned.Add(node);
        return (url, node, redis);
    }

    private async Task<NodeSocketClient> ConnectAsync(Uri url, ClientVersion version)
    {
        var client = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(version, TransportMode.WebSocket));
        _owned.Add(client);
        return client;
    }
}
