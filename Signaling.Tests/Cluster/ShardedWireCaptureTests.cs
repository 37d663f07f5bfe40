using Newtonsoft.Json.Linq;
using Signaling.Protocol.Cluster;
using Signaling.Tests.Infrastructure;
using Signaling.Tests.Protocol.MsgPack;

namespace Signaling.Tests.Cluster;

/// <summary>
/// What two real Node nodes with the sharded adapter (SPUBLISH, socket.io-adapter's ClusterAdapter messages)
/// publish for each operation, captured from MONITOR: decoded with the C# wire types, encoded back to the same bytes.
/// </summary>
[NonParallelizable]
public sealed class ShardedWireCaptureTests
{
    private static readonly ShardedChannels Channels = new("socket.io", "/");

    private NodeClusterCapture _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await NodeClusterCapture.StartAsync(ClusterAdapterMode.Sharded);

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    [Test]
    public async Task A_broadcast_without_binary_is_json_and_its_packet_has_no_nsp()
    {
        var published = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("emit", new JObject { ["event"] = "hello", ["args"] = new JArray("world", 1.5, new JObject { ["d"] = new JObject { ["$date"] = 0 } }) }),
            p => p.Channel == Channels.Main && Decode(p).Type == ClusterMessageType.Broadcast);

        Assert.That(published.Command, Is.EqualTo("SPUBLISH"));
        Assert.That((char)published.Payload[0], Is.EqualTo('{'));
        var message = Decode(published);
        Assert.That((message.Uid, message.Namespace, message.RequestId), Is.EqualTo((_cluster.A.Uid, "/", (string?)null)));
        Assert.That(message.Packet!.Namespace, Is.Null);
        // JSON.stringify made the Date its ISO text.
        Assert.That(message.Packet.Data.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[\"hello\",\"world\",1.5,{\"d\":\"1970-01-01T00:00:00.000Z\"}]"));
        NodeClusterCapture.AssertSameBytes(message.Encode(), published);
    }

    [Test]
    public async Task A_broadcast_with_binary_is_a_msgpack_map_and_dates_stay_timestamps()
    {
        var args = JArray.Parse("[{\"$binary\":\"AQID\"},{\"d\":{\"$date\":1700000000123}}]");
        var published = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("emit", new JObject { ["event"] = "bin", ["args"] = args }),
            p => p.Channel == Channels.Main && Decode(p).Type == ClusterMessageType.Broadcast);

        Assert.That(published.Payload[0], Is.EqualTo(0x84));
        var message = Decode(published);
        Assert.That(TaggedJson.FromCodec(message.Packet!.Data).ToString(), Is.EqualTo(new JArray("bin", args[0], args[1]).ToString()));
        NodeClusterCapture.AssertSameBytes(message.Encode(), published);
    }

    [Test]
    public async Task A_broadcast_to_one_public_room_goes_on_its_channel_and_to_a_socket_id_on_the_main_one()
    {
        var room = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("emit", new JObject { ["event"] = "r", ["args"] = new JArray(), ["rooms"] = new JArray("room1") }),
            p => p.Channel == Channels.Room("room1"));
        var message = Decode(room);
        Assert.That(Channels.ChannelFor(message), Is.EqualTo(room.Channel));
        NodeClusterCapture.AssertSameBytes(message.Encode(), room);

        var toSocket = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("emit", new JObject { ["event"] = "s", ["args"] = new JArray(), ["rooms"] = new JArray(_cluster.ClientOnB.Id!) }),
            p => p.Channel == Channels.Main && Decode(p).Type == ClusterMessageType.Broadcast);
        message = Decode(toSocket);
        Assert.That(message.Options!.Rooms, Is.EqualTo(new[] { _cluster.ClientOnB.Id }));
        Assert.That(Channels.ChannelFor(message), Is.EqualTo(Channels.Main));
        await _cluster.ClientOnB.NextEventAsync("s");
    }

    [Test]
    public async Task A_broadcast_with_acks_goes_on_the_main_channel_and_its_answers_on_the_requesters_channel()
    {
        _cluster.Monitor.Clear();
        Task<JToken> emit = _cluster.A.CommandAsync("emitWithAck", new JObject { ["event"] = "ask", ["args"] = new JArray("q"), ["timeoutMs"] = 5000 });
        var asked = await _cluster.ClientOnB.NextEventAsync("ask");
        await _cluster.ClientOnB.AckAsync(asked.AckId!.Value, new JObject { ["$binary"] = "AQ==" });
        JToken result = await emit;
        Assert.That(result["responses"]!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[{\"$binary\":\"AQ==\"}]"));

        var requestBytes = await _cluster.NextAsync(p => p.Channel == Channels.Main && Decode(p) is { Type: ClusterMessageType.Broadcast, RequestId: not null });
        var request = Decode(requestBytes);
        Assert.That(request.Options!.TimeoutMs, Is.EqualTo(5000));
        NodeClusterCapture.AssertSameBytes(request.Encode(), requestBytes);

        string responses = Channels.Response(_cluster.A.Uid);
        var countBytes = await _cluster.NextAsync(p => p.Channel == responses && Decode(p).Type == ClusterMessageType.BroadcastClientCount);
        var count = Decode(countBytes);
        Assert.That((count.Uid, count.RequestId, count.ClientCount), Is.EqualTo((_cluster.B.Uid, request.RequestId, (int?)1)));
        NodeClusterCapture.AssertSameBytes(ClusterMessage.BroadcastClientCount(count.Uid, "/", count.RequestId!, 1).Encode(), countBytes);

        var ackBytes = await _cluster.NextAsync(p => p.Channel == responses && Decode(p).Type == ClusterMessageType.BroadcastAck);
        Assert.That(ackBytes.Payload[0], Is.Not.EqualTo((byte)'{'), "an ack with binary is MessagePack");
        var ack = Decode(ackBytes);
        Assert.That(((JValue)ack.AckValue!).Value, Is.EqualTo(new byte[] { 1 }));
        NodeClusterCapture.AssertSameBytes(ClusterMessage.BroadcastAck(ack.Uid, "/", ack.RequestId!, ack.AckValue).Encode(), ackBytes);
    }

    [TestCase("socketsJoin", "join", ClusterMessageType.SocketsJoin)]
    [TestCase("socketsLeave", "leave", ClusterMessageType.SocketsLeave)]
    public async Task Joins_and_leaves_carry_opts_with_flags(string cmd, string field, ClusterMessageType type)
    {
        var published = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync(cmd, new JObject { [field] = new JArray("newroom"), ["rooms"] = new JArray("room1"), ["except"] = new JArray("x") }),
            p => p.Channel == Channels.Main && Decode(p).Type == type);

        var message = Decode(published);
        Assert.That(message.Rooms, Is.EqualTo(new[] { "newroom" }));
        Assert.That((message.Options!.Rooms.Single(), message.Options.Except.Single()), Is.EqualTo(("room1", "x")));
        NodeClusterCapture.AssertSameBytes(message.Encode(), published);
    }

    [Test]
    public async Task A_disconnect_carries_close()
    {
        var published = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("disconnectSockets", new JObject { ["close"] = false, ["rooms"] = new JArray("nobody-here") }),
            p => p.Channel == Channels.Main && Decode(p).Type == ClusterMessageType.DisconnectSockets);

        var message = Decode(published);
        Assert.That(message.Close, Is.False);
        NodeClusterCapture.AssertSameBytes(message.Encode(), published);
    }

    [Test]
    public async Task Fetch_sockets_is_answered_on_the_requesters_channel()
    {
        _cluster.Monitor.Clear();
        JToken fetched = await _cluster.A.CommandAsync("fetchSockets");
        Assert.That(fetched.Select(s => (string?)s["id"]), Does.Contain(_cluster.ClientOnB.Id));

        var requestBytes = await _cluster.NextAsync(p => p.Channel == Channels.Main && Decode(p).Type == ClusterMessageType.FetchSockets);
        var request = Decode(requestBytes);
        NodeClusterCapture.AssertSameBytes(request.Encode(), requestBytes);

        var responseBytes = await _cluster.NextAsync(p => p.Channel == Channels.Response(_cluster.A.Uid) && Decode(p).RequestId == request.RequestId);
        var response = Decode(responseBytes);
        Assert.That(response.Type, Is.EqualTo(ClusterMessageType.FetchSocketsResponse));
        RemoteSocketDetails socket = response.Sockets!.Single();
        Assert.That((socket.Id, (string?)socket.Data!["name"]), Is.EqualTo((_cluster.ClientOnB.Id, (string?)"bee")));
        NodeClusterCapture.AssertSameBytes(ClusterMessage.FetchSocketsResponse(response.Uid, "/", response.RequestId!, response.Sockets!).Encode(), responseBytes);
    }

    [Test]
    public async Task Server_side_emit_without_and_with_acks()
    {
        await _cluster.B.CommandAsync("handle", new JObject { ["event"] = "sse", ["reply"] = "pong" });

        var plain = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("serverSideEmit", new JObject { ["event"] = "sse", ["args"] = new JArray(1) }),
            p => p.Channel == Channels.Main && Decode(p) is { Type: ClusterMessageType.ServerSideEmit, RequestId: null } m && (string?)m.EmitData![0] == "sse");
        var message = Decode(plain);
        Assert.That(message.EmitData!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[\"sse\",1]"));
        NodeClusterCapture.AssertSameBytes(message.Encode(), plain);

        _cluster.Monitor.Clear();
        JToken answered = await _cluster.A.CommandAsync("serverSideEmit", new JObject { ["event"] = "sse", ["args"] = new JArray(2), ["ack"] = true });
        Assert.That(answered["responses"]!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[\"pong\"]"));
        var withAck = await _cluster.NextAsync(p => p.Channel == Channels.Main && Decode(p) is { Type: ClusterMessageType.ServerSideEmit, RequestId: not null });
        message = Decode(withAck);
        NodeClusterCapture.AssertSameBytes(message.Encode(), withAck);
        var responseBytes = await _cluster.NextAsync(p => p.Channel == Channels.Response(_cluster.A.Uid) && Decode(p).RequestId == message.RequestId);
        var response = Decode(responseBytes);
        Assert.That((response.Type, (string?)response.AckValue), Is.EqualTo((ClusterMessageType.ServerSideEmitResponse, (string?)"pong")));
        NodeClusterCapture.AssertSameBytes(ClusterMessage.ServerSideEmitResponse(response.Uid, "/", response.RequestId!, response.AckValue).Encode(), responseBytes);
    }

    private static ClusterMessage Decode(RedisMonitor.Publication publication) => ClusterMessage.Decode(publication.Payload);
}
