using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;
using Signaling.Tests.SocketIo.Adapters;

namespace Signaling.Tests.Cluster;

/// <summary>@socket.io/redis-emitter 5.1.0 in another process (js/cluster-emitter.js) reaching the clients of our classic node.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class EmitterTests
{
    [Test]
    public async Task Emits_joins_and_disconnects_from_the_emitter_reach_our_sockets()
    {
        await using var redis = await RedisServer.StartAsync();
        var (node, connection) = await RedisAdapterTests.StartNodeAsync(redis.Configuration, sharded: false);
        await using var cluster = new AdapterCluster(node, node, connection);
        await using var emitter = await NodeEmitter.StartAsync(redis);
        var (alice, aliceSocket) = await AdapterCluster.ConnectAsync(node, ClientVersion.V4);
        var (bob, bobSocket) = await AdapterCluster.ConnectAsync(node, ClientVersion.V2);

        await emitter.CommandAsync("emit", new JObject { ["event"] = "news", ["args"] = new JArray("to all", 1.5) });
        JsonAssert.AreEqual(new JArray("to all", 1.5), (await alice.NextEventAsync("news")).Args);
        JsonAssert.AreEqual(new JArray("to all", 1.5), (await bob.NextEventAsync("news")).Args);

        await emitter.CommandAsync("socketsJoin", new JObject { ["join"] = new JArray("blue"), ["rooms"] = new JArray(bobSocket.Id) });
        await emitter.CommandAsync("emit", new JObject { ["event"] = "news", ["args"] = new JArray("to blue"), ["rooms"] = new JArray("blue") });
        await emitter.CommandAsync("emit", new JObject { ["event"] = "news", ["args"] = new JArray("all but blue"), ["except"] = new JArray("blue") });
        JsonAssert.AreEqual(new JArray("to blue"), (await bob.NextEventAsync("news")).Args);
        JsonAssert.AreEqual(new JArray("all but blue"), (await alice.NextEventAsync("news")).Args);
        Assert.That(bobSocket.Rooms, Does.Contain("blue"));

        await emitter.CommandAsync("disconnectSockets", new JObject { ["close"] = false, ["rooms"] = new JArray("blue") });
        Assert.That((await bob.NextAsync("disconnect")).Reason, Is.EqualTo("io server disconnect"));
        Assert.That(aliceSocket.Connected, Is.True);
    }

    /// <summary>
    /// The join travels on the request channel, the emits on the room's channel and the base one: the node handles
    /// them in the order Redis delivered them, as a Node node does, so the emit finds bob in the room every time.
    /// </summary>
    [Test]
    public async Task A_join_then_an_emit_to_the_room_from_the_emitter_reach_the_socket_in_that_order()
    {
        await using var redis = await RedisServer.StartAsync();
        var (node, connection) = await RedisAdapterTests.StartNodeAsync(redis.Configuration, sharded: false);
        await using var cluster = new AdapterCluster(node, node, connection);
        await using var emitter = await NodeEmitter.StartAsync(redis);
        var (bob, bobSocket) = await AdapterCluster.ConnectAsync(node, ClientVersion.V4);

        for (var i = 0; i < 200; i++)
        {
            var room = $"room{i}";
            await emitter.BatchAsync(
                NodeEmitter.Command("socketsJoin", new JObject { ["join"] = new JArray(room), ["rooms"] = new JArray(bobSocket.Id) }),
                NodeEmitter.Command("emit", new JObject { ["event"] = "news", ["args"] = new JArray(room), ["rooms"] = new JArray(room) }),
                NodeEmitter.Command("emit", new JObject { ["event"] = "news", ["args"] = new JArray("marker") }));
            JsonAssert.AreEqual(new JArray(room), (await bob.NextEventAsync("news")).Args, $"round {i}: the emit to the room just joined, before the marker");
            JsonAssert.AreEqual(new JArray("marker"), (await bob.NextEventAsync("news")).Args, $"round {i}: the marker");
        }
    }
}
