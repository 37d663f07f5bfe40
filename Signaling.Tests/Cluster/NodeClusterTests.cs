using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>
/// Two js/cluster-node.js processes on one redis-server behave as one signaling server (docs/SIGNALING.md with
/// the cluster convention of issue 10): the reference a C# node is put beside.
/// </summary>
[NonParallelizable]
public sealed class NodeClusterTests
{
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(15);

    [TestCase(ClusterAdapterMode.Classic)]
    [TestCase(ClusterAdapterMode.Sharded)]
    public async Task Clients_on_different_nodes_share_presence_and_relay_to_each_other(ClusterAdapterMode mode)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(mode));
        await using var b = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(mode));
        await using var alice = await NodeSocketClient.ConnectAsync(a.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var bob = await NodeSocketClient.ConnectAsync(b.BaseUrl, new NodeClientOptions(ClientVersion.V2, TransportMode.Polling));

        await alice.EmitAsync("online", "Alice");
        await NextListAsync(alice, l => l.Count == 1);
        await bob.EmitAsync("online", "Bob");
        var expected = new JArray(new JObject { ["id"] = alice.Id, ["name"] = "Alice" }, new JObject { ["id"] = bob.Id, ["name"] = "Bob" });
        Assert.That(JToken.DeepEquals(await NextListAsync(alice, l => l.Count == 2), expected), Is.True, "alice's list, oldest first");
        Assert.That(JToken.DeepEquals(await NextListAsync(bob, l => l.Count == 2), expected), Is.True, "bob's list, oldest first");

        var offer = new JObject { ["type"] = "offer", ["sdp"] = "v=0\r\n" };
        await alice.EmitAsync("offer", bob.Id, offer, BinaryJson.Binary([0, 1, 255]));
        var received = await bob.NextEventAsync("offer");
        Assert.That(received.Args.ToString(Newtonsoft.Json.Formatting.None),
            Is.EqualTo(new JArray(alice.Id!, offer, BinaryJson.Binary([0, 1, 255])).ToString(Newtonsoft.Json.Formatting.None)));

        var ack = await bob.EmitWithAckAsync("answer", alice.Id, new JObject { ["type"] = "answer" });
        Assert.That(ack.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[{\"ok\":true}]"));
        Assert.That((string?)(await alice.NextEventAsync("answer")).Args[0], Is.EqualTo(bob.Id));

        var unknown = await alice.EmitWithAckAsync("candidate", "AAAAAAAAAAAAAAAAAAAA", new JObject());
        Assert.That(unknown.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[{\"error\":\"unknown-target\"}]"));
        await alice.EmitAsync("hangup", "nobody");
        var error = await alice.NextEventAsync("signaling error");
        Assert.That(error.Args[0].ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("{\"event\":\"hangup\",\"to\":\"nobody\",\"reason\":\"unknown-target\"}"));

        const int candidates = 100;
        for (int i = 0; i < candidates; i++)
        {
            await alice.EmitAsync("candidate", bob.Id, i);
        }

        for (int i = 0; i < candidates; i++)
        {
            Assert.That((int)(await bob.NextEventAsync("candidate")).Args[1], Is.EqualTo(i), "relays keep their order per sender");
        }

        await bob.DisposeAsync();
        var left = await NextListAsync(alice, l => l.Count == 1);
        Assert.That((string?)left[0]!["id"], Is.EqualTo(alice.Id));
    }

    [TestCase(ClusterAdapterMode.Classic)]
    [TestCase(ClusterAdapterMode.Sharded)]
    public async Task A_node_that_stops_leaves_everyones_list_at_once(ClusterAdapterMode mode)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(mode));
        await using var b = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(mode));
        await using var alice = await NodeSocketClient.ConnectAsync(a.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var bob = await NodeSocketClient.ConnectAsync(b.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await alice.EmitAsync("online", "Alice");
        await bob.EmitAsync("online", "Bob");
        await NextListAsync(alice, l => l.Count == 2);

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await b.StopAsync();
        var list = await NextListAsync(alice, l => l.Count == 1);
        Assert.That((string?)list[0]!["id"], Is.EqualTo(alice.Id));
        Assert.That(stopped.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "no wait for a request timeout");
    }

    [Test]
    public async Task The_emitter_reaches_clients_on_every_node_and_drives_their_rooms()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(ClusterAdapterMode.Classic));
        await using var b = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(ClusterAdapterMode.Classic));
        await using var alice = await NodeSocketClient.ConnectAsync(a.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var bob = await NodeSocketClient.ConnectAsync(b.BaseUrl, new NodeClientOptions(ClientVersion.V3, TransportMode.PollingThenUpgrade));
        await using var emitter = await NodeEmitter.StartAsync(redis);

        await emitter.CommandAsync("emit", new JObject { ["event"] = "news", ["args"] = new JArray(1, BinaryJson.Binary([7])) });
        foreach (var client in new[] { alice, bob })
        {
            Assert.That((await client.NextEventAsync("news")).Args.ToString(Newtonsoft.Json.Formatting.None),
                Is.EqualTo(new JArray(1, BinaryJson.Binary([7])).ToString(Newtonsoft.Json.Formatting.None)));
        }

        await emitter.CommandAsync("socketsJoin", new JObject { ["join"] = new JArray("club"), ["rooms"] = new JArray(bob.Id!) });
        await emitter.CommandAsync("emit", new JObject { ["event"] = "club-news", ["args"] = new JArray(), ["rooms"] = new JArray("club") });
        await emitter.CommandAsync("emit", new JObject { ["event"] = "marker", ["args"] = new JArray() });
        await bob.NextEventAsync("club-news");
        await alice.NextEventAsync("marker");
        Assert.That(alice.Received.Any(m => m.Name == "club-news"), Is.False, "alice is not in the club");
    }

    [Test]
    public async Task Redis_killed_and_restarted_comes_back_on_its_port_and_the_nodes_resubscribe()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(ClusterAdapterMode.Classic));
        await using var b = await NodeClusterNode.StartAsync(redis, new NodeClusterNodeOptions(ClusterAdapterMode.Classic));
        await using var alice = await NodeSocketClient.ConnectAsync(a.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var bob = await NodeSocketClient.ConnectAsync(b.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        int port = redis.Port;

        await redis.KillAsync();
        Assert.That(redis.ProcessId, Is.Null);
        Assert.ThrowsAsync<System.Net.Sockets.SocketException>(async () => await (await RedisClient.ConnectAsync(port)).DisposeAsync());

        await redis.RestartAsync();
        Assert.That(redis.Port, Is.EqualTo(port));
        // node-redis reconnects with back-off and resubscribes; relay until it gets through.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var ack = await alice.EmitWithAckAsync("offer", bob.Id, "after-restart");
            if (ack.ToString(Newtonsoft.Json.Formatting.None) == "[{\"ok\":true}]")
            {
                break;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"the cluster did not come back: {ack}\n{a.StandardError}");
        }

        Assert.That((string?)(await bob.NextEventAsync("offer")).Args[1], Is.EqualTo("after-restart"));
    }

    /// <summary>The next <c>online</c> list that passes <paramref name="matches"/> (earlier ones are intermediate states).</summary>
    private static async Task<JArray> NextListAsync(NodeSocketClient client, Func<JArray, bool> matches)
    {
        var deadline = DateTime.UtcNow + ListTimeout;
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            var list = (JArray)(await client.NextEventAsync("online", remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1))).Args[0];
            if (matches(list))
            {
                return list;
            }
        }
    }
}
