using System.Text;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.Cluster;
using Signaling.Tests.Infrastructure;
using Signaling.Tests.Protocol.MsgPack;

namespace Signaling.Tests.Cluster;

/// <summary>
/// What two real Node nodes with the classic adapter (and the emitter) publish for each operation, captured from
/// redis-server's MONITOR: each message decodes with the C# wire types to what the operation said, and encodes
/// back to the same bytes.
/// </summary>
[NonParallelizable]
public sealed class ClassicWireCaptureTests
{
    private static readonly ClassicChannels Channels = new("socket.io", "/");

    private NodeClusterCapture _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await NodeClusterCapture.StartAsync(ClusterAdapterMode.Classic);

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    [Test]
    public async Task A_broadcast_to_all_with_binary_dates_and_numbers()
    {
        var args = JArray.Parse("[\"hello\",1,1.5,-70000,{\"a\":[true,null]},{\"$binary\":\"AQID\"},{\"d\":{\"$date\":1700000000123}}]");
        var published = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("emit", new JObject { ["event"] = "hello", ["args"] = new JArray(args.Skip(1)) }),
            p => p.Channel == Channels.Broadcast);

        var message = ClassicBroadcast.Decode(published.Payload);
        Assert.That(message.Uid, Is.EqualTo(_cluster.A.Uid));
        Assert.That(message.Packet.Type, Is.EqualTo(ClusterPacket.EventType));
        Assert.That(message.Packet.Namespace, Is.EqualTo("/"));
        Assert.That(TaggedJson.FromCodec(message.Packet.Data).ToString(), Is.EqualTo(args.ToString()));
        Assert.That(message.Options.Rooms, Is.Empty);
        Assert.That(message.Options.Except, Is.Empty);
        Assert.That(message.Options.Flags, Is.Empty);
        NodeClusterCapture.AssertSameBytes(message.Encode(), published);
    }

    [Test]
    public async Task A_broadcast_to_one_room_goes_on_the_room_channel_with_its_flags()
    {
        var published = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("emit", new JObject { ["event"] = "r1", ["args"] = new JArray("x"), ["rooms"] = new JArray("room1"), ["volatile"] = true, ["compress"] = false }),
            p => p.Channel == Channels.Room("room1"));

        var message = ClassicBroadcast.Decode(published.Payload);
        Assert.That(message.Options.Rooms, Is.EqualTo(new[] { "room1" }));
        Assert.That(message.Options.IsVolatile, Is.True);
        Assert.That(message.Options.Compress, Is.False);
        Assert.That(Encoding.UTF8.GetString(Channels.BroadcastChannel(message.Options)), Is.EqualTo(published.Channel));
        Assert.That(Channels.RoomOf(Encoding.UTF8.GetBytes(published.Channel)), Is.EqualTo("room1"));
        NodeClusterCapture.AssertSameBytes(message.Encode(), published);
    }

    [Test]
    public async Task A_broadcast_to_two_rooms_except_one_goes_on_the_base_channel()
    {
        var published = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("emit", new JObject { ["event"] = "r2", ["args"] = new JArray(), ["rooms"] = new JArray("r1", "r2"), ["except"] = new JArray("r3") }),
            p => p.Channel == Channels.Broadcast);

        var message = ClassicBroadcast.Decode(published.Payload);
        Assert.That(message.Options.Rooms, Is.EqualTo(new[] { "r1", "r2" }));
        Assert.That(message.Options.Except, Is.EqualTo(new[] { "r3" }));
        Assert.That(Encoding.UTF8.GetString(Channels.BroadcastChannel(message.Options)), Is.EqualTo(Channels.Broadcast));
        NodeClusterCapture.AssertSameBytes(message.Encode(), published);
    }

    [Test]
    public async Task A_broadcast_with_acks_is_a_msgpack_request_answered_by_a_json_count_and_msgpack_acks()
    {
        _cluster.Monitor.Clear();
        Task<JToken> emit = _cluster.A.CommandAsync("emitWithAck", new JObject { ["event"] = "ask", ["args"] = new JArray(7), ["timeoutMs"] = 5000 });
        var asked = await _cluster.ClientOnB.NextEventAsync("ask");
        await _cluster.ClientOnB.AckAsync(asked.AckId!.Value, new JObject { ["ok"] = 7 }, "dropped");
        JToken result = await emit;
        Assert.That(result["responses"]!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[{\"ok\":7}]"));

        var requestBytes = await _cluster.NextAsync(p => p.Channel == Channels.Request && p.Payload[0] != '{');
        var request = ClassicRequest.Decode(requestBytes.Payload);
        Assert.That(request.Type, Is.EqualTo(ClassicRequestType.Broadcast));
        Assert.That(request.Uid, Is.EqualTo(_cluster.A.Uid));
        Assert.That(request.Packet!.Data.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[\"ask\",7]"));
        Assert.That(request.Options!.TimeoutMs, Is.EqualTo(5000));
        NodeClusterCapture.AssertSameBytes(request.Encode(), requestBytes);

        var countBytes = await _cluster.NextAsync(p => p.Channel == Channels.Response && p.Payload[0] == '{');
        var count = ClassicResponse.Decode(countBytes.Payload);
        Assert.That((count.Type, count.RequestId, count.ClientCount), Is.EqualTo(((ClassicRequestType?)ClassicRequestType.BroadcastClientCount, request.RequestId, (int?)1)));
        NodeClusterCapture.AssertSameBytes(ClassicResponse.BroadcastClientCount(count.RequestId, 1).Encode(), countBytes);

        var ackBytes = await _cluster.NextAsync(p => p.Channel == Channels.Response && p.Payload[0] != '{');
        var ack = ClassicResponse.Decode(ackBytes.Payload);
        Assert.That((ack.Type, ack.RequestId), Is.EqualTo(((ClassicRequestType?)ClassicRequestType.BroadcastAck, request.RequestId)));
        Assert.That(ack.Packet!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("{\"ok\":7}"));
        NodeClusterCapture.AssertSameBytes(ClassicResponse.BroadcastAck(ack.RequestId, ack.Packet).Encode(), ackBytes);
    }

    [TestCase("socketsJoin", "join", ClassicRequestType.RemoteJoin)]
    [TestCase("socketsLeave", "leave", ClassicRequestType.RemoteLeave)]
    public async Task Joins_and_leaves_are_json_requests_without_flags(string cmd, string field, ClassicRequestType type)
    {
        var published = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync(cmd, new JObject { [field] = new JArray("newroom"), ["rooms"] = new JArray("room1"), ["except"] = new JArray("x") }),
            p => p.Channel == Channels.Request && ClassicRequest.Decode(p.Payload).Type == type);

        var request = ClassicRequest.Decode(published.Payload);
        Assert.That(request.Uid, Is.EqualTo(_cluster.A.Uid));
        Assert.That(request.Rooms, Is.EqualTo(new[] { "newroom" }));
        Assert.That(request.Options!.Rooms, Is.EqualTo(new[] { "room1" }));
        Assert.That(request.Options.Except, Is.EqualTo(new[] { "x" }));
        NodeClusterCapture.AssertSameBytes(request.Encode(), published);
    }

    [Test]
    public async Task A_disconnect_request_carries_close()
    {
        var published = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("disconnectSockets", new JObject { ["close"] = true, ["rooms"] = new JArray("nobody-here") }),
            p => p.Channel == Channels.Request && ClassicRequest.Decode(p.Payload).Type == ClassicRequestType.RemoteDisconnect);

        var request = ClassicRequest.Decode(published.Payload);
        Assert.That(request.Close, Is.True);
        NodeClusterCapture.AssertSameBytes(request.Encode(), published);
    }

    [Test]
    public async Task Fetch_sockets_is_a_json_request_answered_with_node_handshakes_and_data()
    {
        _cluster.Monitor.Clear();
        JToken fetched = await _cluster.A.CommandAsync("fetchSockets");
        Assert.That(fetched.Select(s => (string?)s["id"]), Does.Contain(_cluster.ClientOnB.Id));

        var requestBytes = await _cluster.NextAsync(p => p.Channel == Channels.Request && ClassicRequest.Decode(p.Payload).Type == ClassicRequestType.RemoteFetch);
        var request = ClassicRequest.Decode(requestBytes.Payload);
        Assert.That(request.Uid, Is.EqualTo(_cluster.A.Uid));
        NodeClusterCapture.AssertSameBytes(request.Encode(), requestBytes);

        var responseBytes = await _cluster.NextAsync(p => p.Channel == Channels.Response && ClassicResponse.Decode(p.Payload).RequestId == request.RequestId);
        var response = ClassicResponse.Decode(responseBytes.Payload);
        Assert.That(response.Type, Is.Null);
        RemoteSocketDetails socket = response.FetchedSockets.Single();
        Assert.That(socket.Id, Is.EqualTo(_cluster.ClientOnB.Id));
        Assert.That(socket.Rooms, Is.EqualTo(new[] { _cluster.ClientOnB.Id }));
        Assert.That((string?)socket.Data!["name"], Is.EqualTo("bee"));
        Assert.That(socket.Data["onlineAt"]!.Type, Is.EqualTo(JTokenType.Integer));
        Assert.That(socket.Handshake.Properties().Select(p => p.Name),
            Is.EqualTo(new[] { "headers", "time", "address", "xdomain", "secure", "issued", "url", "query", "auth" }));
        NodeClusterCapture.AssertSameBytes(ClassicResponse.FetchSockets(response.RequestId, response.FetchedSockets).Encode(), responseBytes);
    }

    [Test]
    public async Task All_rooms_is_a_json_request_answered_with_the_room_names()
    {
        _cluster.Monitor.Clear();
        JToken rooms = await _cluster.A.CommandAsync("allRooms");
        Assert.That(rooms.Select(r => (string?)r), Does.Contain(_cluster.ClientOnB.Id));

        var requestBytes = await _cluster.NextAsync(p => p.Channel == Channels.Request && ClassicRequest.Decode(p.Payload).Type == ClassicRequestType.AllRooms);
        var request = ClassicRequest.Decode(requestBytes.Payload);
        NodeClusterCapture.AssertSameBytes(request.Encode(), requestBytes);

        var responseBytes = await _cluster.NextAsync(p => p.Channel == Channels.Response && ClassicResponse.Decode(p.Payload).RequestId == request.RequestId);
        var response = ClassicResponse.Decode(responseBytes.Payload);
        Assert.That(response.Rooms, Does.Contain(_cluster.ClientOnB.Id));
        NodeClusterCapture.AssertSameBytes(ClassicResponse.AllRooms(response.RequestId, response.Rooms!).Encode(), responseBytes);
    }

    [Test]
    public async Task Server_side_emit_without_and_with_acks()
    {
        await _cluster.B.CommandAsync("handle", new JObject { ["event"] = "sse", ["reply"] = new JObject { ["pong"] = 1 } });

        var plain = await _cluster.CaptureAsync(
            () => _cluster.A.CommandAsync("serverSideEmit", new JObject { ["event"] = "sse", ["args"] = new JArray(new JObject { ["k"] = 1 }) }),
            p => p.Channel == Channels.Request && ClassicRequest.Decode(p.Payload) is { Type: ClassicRequestType.ServerSideEmit, RequestId: null } r && (string?)r.Data![0] == "sse");
        var request = ClassicRequest.Decode(plain.Payload);
        Assert.That(request.Data!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[\"sse\",{\"k\":1}]"));
        NodeClusterCapture.AssertSameBytes(request.Encode(), plain);
        await _cluster.B.Reports.TakeAsync(r => (string?)r["event"] == "sse", TimeSpan.FromSeconds(10));

        _cluster.Monitor.Clear();
        JToken answered = await _cluster.A.CommandAsync("serverSideEmit", new JObject { ["event"] = "sse", ["args"] = new JArray(2), ["ack"] = true });
        Assert.That(answered["responses"]!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[{\"pong\":1}]"));
        var withAck = await _cluster.NextAsync(p => p.Channel == Channels.Request && ClassicRequest.Decode(p.Payload) is { Type: ClassicRequestType.ServerSideEmit, RequestId: not null });
        request = ClassicRequest.Decode(withAck.Payload);
        NodeClusterCapture.AssertSameBytes(request.Encode(), withAck);
        var ackBytes = await _cluster.NextAsync(p => p.Channel == Channels.Response && ClassicResponse.Decode(p.Payload).RequestId == request.RequestId);
        var ack = ClassicResponse.Decode(ackBytes.Payload);
        Assert.That(ack.Type, Is.EqualTo(ClassicRequestType.ServerSideEmit));
        Assert.That(ack.Data!.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("{\"pong\":1}"));
        NodeClusterCapture.AssertSameBytes(ClassicResponse.ServerSideEmitAck(ack.RequestId, ack.Data).Encode(), ackBytes);
    }

    [Test]
    public async Task The_emitter_publishes_broadcasts_as_emitter_and_requests_without_uid()
    {
        await using var emitter = await NodeEmitter.StartAsync(_cluster.Redis);

        var broadcast = await _cluster.CaptureAsync(
            () => emitter.CommandAsync("emit", new JObject { ["nsp"] = "/chat", ["event"] = "e3", ["args"] = new JArray(new JObject { ["$binary"] = "CQ==" }), ["except"] = new JArray("r") }),
            p => p.Channel == "socket.io#/chat#");
        var message = ClassicBroadcast.Decode(broadcast.Payload);
        Assert.That(message.Uid, Is.EqualTo(ClassicBroadcast.EmitterUid));
        Assert.That(message.Packet.Namespace, Is.EqualTo("/chat"));
        Assert.That(((JValue)message.Packet.Data[1]!).Value, Is.EqualTo(new byte[] { 9 }));
        Assert.That(message.Options.Except, Is.EqualTo(new[] { "r" }));
        // The emitter writes its opts as rooms, flags, except; we write the adapter's order, rooms, except, flags.
        Assert.That(Convert.ToHexStringLower(broadcast.Payload), Does.EndWith("83a5726f6f6d7390a5666c61677380a665786365707491a172"));
        Assert.That(Convert.ToHexStringLower(message.Encode()), Does.EndWith("83a5726f6f6d7390a665786365707491a172a5666c61677380"));

        var join = await _cluster.CaptureAsync(
            () => emitter.CommandAsync("socketsJoin", new JObject { ["join"] = new JArray("j1"), ["rooms"] = new JArray("room1") }),
            p => p.Channel == Channels.Request);
        var request = ClassicRequest.Decode(join.Payload);
        Assert.That((request.Type, request.Uid), Is.EqualTo((ClassicRequestType.RemoteJoin, (string?)null)));
        NodeClusterCapture.AssertSameBytes(request.Encode(), join);

        var sse = await _cluster.CaptureAsync(
            () => emitter.CommandAsync("serverSideEmit", new JObject { ["event"] = "from-emitter", ["args"] = new JArray(1) }),
            p => p.Channel == Channels.Request);
        request = ClassicRequest.Decode(sse.Payload);
        Assert.That((request.Type, request.Uid), Is.EqualTo((ClassicRequestType.ServerSideEmit, (string?)ClassicBroadcast.EmitterUid)));
        NodeClusterCapture.AssertSameBytes(request.Encode(), sse);
    }
}
