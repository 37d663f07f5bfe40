using System.Text;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Hosting;
using Signaling.Tests.Infrastructure;
using Signaling.Tests.SocketIo;
using Signaling.Tests.SocketIo.Adapters;

namespace Signaling.Tests.Cluster;

/// <summary>
/// <c>Redis:SubscriptionMode</c> beside a Node node (js/cluster-node.js, createShardedAdapter) in the same mode: which
/// shard channels each mode subscribes (checked with PUBSUB SHARDNUMSUB on the real redis-server), broadcasts to a
/// room and to one socket id both ways, and the relay of docs/SIGNALING.md across the two nodes.
/// </summary>
[TestFixture("static")]
[TestFixture("dynamic")]
[TestFixture("dynamic-private")]
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class ShardedSubscriptionModeTests(string mode) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private bool Dynamic => mode != "static";

    private bool Private => mode == "dynamic-private";

    [Test]
    public async Task Rooms_and_socket_ids_reach_across_our_node_and_a_Node_node()
    {
        var redis = await StartRedisAsync();
        var (ours, oursRedis) = await RedisAdapterTests.StartNodeAsync(redis.Configuration, sharded: true, mode);
        _owned.Add(oursRedis);
        _owned.Add(ours);
        var node = await StartNodeAsync(redis);
        var (ourClient, ourSocket) = await AdapterCluster.ConnectAsync(ours, ClientVersion.V4);
        var nodeClient = await ConnectAsync(node.BaseUrl, ClientVersion.V4);

        ourSocket.Join("blue");
        await node.CommandAsync("socketsJoin", new JObject { ["join"] = new JArray("blue"), ["rooms"] = new JArray(nodeClient.Id!) });
        await using var probe = await RedisClient.ConnectAsync(redis.Port);
        // A public room's channel has both nodes on it in the dynamic modes; a socket id's only its node, in dynamic-private.
        var expected = new Dictionary<string, long>
        {
            ["socket.io#/#blue#"] = Dynamic ? 2 : 0,
            [$"socket.io#/#{ourClient.Id}#"] = Private ? 1 : 0,
            [$"socket.io#/#{nodeClient.Id}#"] = Private ? 1 : 0,
        };
        await WaitForSubscribersAsync(probe, expected);

        ours.Io.Sockets.To("blue").Emit("blue", "from ours");
        await node.CommandAsync("emit", new JObject { ["event"] = "blue", ["args"] = new JArray("from node"), ["rooms"] = new JArray("blue") });
        foreach (var client in new[] { ourClient, nodeClient })
        {
            // Two nodes' emits: in either order on a client, one came through Redis.
            var got = new[] { (string?)(await client.NextEventAsync("blue")).Args[0], (string?)(await client.NextEventAsync("blue")).Args[0] };
            Assert.That(got, Is.EquivalentTo(new[] { "from ours", "from node" }), $"{client}, both nodes' emits to the room");
        }

        ours.Io.Sockets.To(nodeClient.Id!).Emit("private", "from ours");
        await node.CommandAsync("emit", new JObject { ["event"] = "private", ["args"] = new JArray("from node"), ["rooms"] = new JArray(ourClient.Id!) });
        JsonAssert.AreEqual(new JArray("from ours"), (await nodeClient.NextEventAsync("private")).Args);
        JsonAssert.AreEqual(new JArray("from node"), (await ourClient.NextEventAsync("private")).Args);

        ourSocket.Leave("blue");
        expected["socket.io#/#blue#"] = Dynamic ? 1 : 0;
        await WaitForSubscribersAsync(probe, expected);
    }

    [Test]
    public async Task Presence_and_the_relay_span_our_serve_process_and_a_Node_node()
    {
        var redis = await StartRedisAsync();
        var (process, ours) = await ServerProcess.StartAsync(
            "serve", $"--Redis:Configuration={redis.Configuration}", "--Redis:Sharded=true", $"--Redis:SubscriptionMode={mode}");
        _owned.Add(process);
        var node = await StartNodeAsync(redis);
        var alice = await ConnectAsync(ours, ClientVersion.V4);
        var bob = await ConnectAsync(node.BaseUrl, ClientVersion.V2);
        await PresenceLists.BothOnlineAsync(alice, "Alice", bob, "Bob");

        JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await alice.EmitWithAckAsync("offer", bob.Id, new JObject { ["type"] = "offer" }));
        JsonAssert.AreEqual(new JArray(alice.Id!, new JObject { ["type"] = "offer" }), (await bob.NextEventAsync("offer")).Args);
        const int candidates = 50;
        for (var i = 0; i < candidates; i++)
        {
            await bob.EmitAsync("candidate", alice.Id, i);
        }
        for (var i = 0; i < candidates; i++)
        {
            var got = (await alice.NextEventAsync("candidate")).Args;
            Assert.That(((string?)got[0], (int)got[1]), Is.EqualTo((bob.Id, i)), "the Node node's relays in order, with the sender's id");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _owned.Reverse();
        var owned = _owned.ToArray();
        _owned.Clear();
        await new AsyncDisposables(owned).DisposeAsync();
    }

    private async Task<RedisServer> StartRedisAsync()
    {
        var redis = await RedisServer.StartAsync();
        _owned.Add(redis);
        return redis;
    }

    private async Task<NodeClusterNode> StartNodeAsync(RedisServer redis)
    {
        var node = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(ClusterAdapterMode.Sharded) { SubscriptionMode = mode });
        _owned.Add(node);
        return node;
    }

    private async Task<NodeSocketClient> ConnectAsync(Uri url, ClientVersion version)
    {
        var client = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(version, TransportMode.WebSocket));
        _owned.Add(client);
        return client;
    }

    /// <summary>Waits until each shard channel has its number of subscribers (PUBSUB SHARDNUMSUB).</summary>
    private static async Task WaitForSubscribersAsync(RedisClient redis, IReadOnlyDictionary<string, long> expected)
    {
        var deadline = DateTime.UtcNow + SocketIoTestHost.WaitLimit;
        while (true)
        {
            var reply = (object?[])(await redis.CommandAsync(["PUBSUB", "SHARDNUMSUB", .. expected.Keys]))!;
            var counts = Enumerable.Range(0, reply.Length / 2).ToDictionary(i => Encoding.UTF8.GetString((byte[])reply[2 * i]!), i => (long)reply[2 * i + 1]!);
            if (expected.All(e => counts[e.Key] == e.Value))
            {
                return;
            }
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"subscribers {string.Join(", ", counts)}; expected {string.Join(", ", expected)}");
            await Task.Delay(20);
        }
    }
}
