using System.Text;
using Newtonsoft.Json.Linq;
using Signaling.Protocol;
using Signaling.Protocol.Cluster;
using Signaling.Protocol.MsgPack;

namespace Signaling.Tests.Protocol.Cluster;

/// <summary>
/// The cluster wire types on the vectors of shared/REDIS-WIRE.md and on what no capture shows (heartbeats,
/// legacy requests, numeric rooms, bad input); ClassicWireCaptureTests and ShardedWireCaptureTests check them
/// against live Node nodes.
/// </summary>
public sealed class ClusterWireTests
{
    [Test]
    public void Classic_channel_names_follow_the_prefix_and_namespace()
    {
        var channels = new ClassicChannels("app", "/chat");
        Assert.That(
            (channels.Broadcast, channels.NamespacePattern, channels.Request, channels.Response, channels.SpecificResponse("CtYkUi"), channels.Room("r1"), channels.Heartbeat),
            Is.EqualTo(("app#/chat#", "app*#/chat#*", "app-request#/chat#", "app-response#/chat#", "app-response#/chat#CtYkUi#", "app#/chat#r1#", "app-heartbeat#/chat#")));
        Assert.That(new ClassicChannels(@"a*[b]?\", "/").NamespacePattern, Is.EqualTo(@"a\*\[b\]\?\\*#/#*"), "a prefix is a literal in the pattern");
        Assert.That(channels.RoomOf("app#/chat#r1#"u8), Is.EqualTo("r1"));
        Assert.That(channels.RoomOf("app#/chat#"u8), Is.EqualTo(""));
        Assert.That(channels.RoomOf("app#/other#"u8), Is.Null);
        Assert.Throws<ArgumentException>(() => _ = new ClassicChannels("socket.io", "/a*"));
    }

    [Test]
    public void Sharded_channels_put_only_plain_one_room_broadcasts_on_room_channels()
    {
        var dynamic = new ShardedChannels("socket.io", "/");
        var packet = new ClusterPacket(["e"], null);
        ClusterMessage ToRoom(string room, string? requestId = null) =>
            ClusterMessage.Broadcast("u", "/", packet, new BroadcastOptions([room], []), requestId);

        Assert.That(dynamic.ChannelFor(ToRoom("room1")), Is.EqualTo("socket.io#/#room1#"));
        Assert.That(dynamic.ChannelFor(ToRoom("AAAAAAAAAAAAAAAAAAAA")), Is.EqualTo("socket.io#/#"), "20 characters look like a socket id");
        Assert.That(dynamic.ChannelFor(ToRoom("room1", requestId: "r")), Is.EqualTo("socket.io#/#"), "acks count every server");
        Assert.That(new ShardedChannels("socket.io", "/", ShardedSubscriptionMode.DynamicPrivate).ChannelFor(ToRoom("AAAAAAAAAAAAAAAAAAAA")),
            Is.EqualTo("socket.io#/#AAAAAAAAAAAAAAAAAAAA#"));
        Assert.That(new ShardedChannels("socket.io", "/", ShardedSubscriptionMode.Static).ChannelFor(ToRoom("room1")), Is.EqualTo("socket.io#/#"));
        Assert.That(dynamic.Response("2df1e440eb1b314a"), Is.EqualTo("socket.io#/#2df1e440eb1b314a#"));
        Assert.That((dynamic.SubscribesToRoom(isSocketId: false), dynamic.SubscribesToRoom(isSocketId: true)), Is.EqualTo((true, false)));
    }

    [Test]
    public void The_documented_classic_vectors_decode_and_encode_back()
    {
        // REDIS-WIRE.md 1.3 vector 2 and 1.4 request 7 / response 9.
        string[] broadcasts = ["93a663667071617783a47479706502a46461746192a362696ec403010203a36e7370a52f6368617483a5726f6f6d7390a665786365707490a5666c61677382a8766f6c6174696c65c3a8636f6d7072657373c2"];
        foreach (string hex in broadcasts)
        {
            var message = ClassicBroadcast.Decode(Convert.FromHexString(hex));
            Assert.That((message.Uid, message.Packet.Namespace, message.Options.IsVolatile, message.Options.Compress), Is.EqualTo(("cfpqaw", "/chat", true, (bool?)false)));
            Assert.That(Convert.ToHexStringLower(message.Encode()), Is.EqualTo(hex));
        }

        const string request = "85a3756964a6466d58736367a9726571756573744964a6365a796e6565a47479706507a67061636b657483a47479706502a46461746192a5626361737407a36e7370a12fa46f70747383a5726f6f6d7390a665786365707490a5666c61677381a774696d656f7574ccc8";
        var broadcastWithAck = ClassicRequest.Decode(Convert.FromHexString(request));
        Assert.That((broadcastWithAck.Type, broadcastWithAck.RequestId, broadcastWithAck.Options!.TimeoutMs), Is.EqualTo((ClassicRequestType.Broadcast, (string?)"6Zynee", (long?)200)));
        Assert.That(Convert.ToHexStringLower(broadcastWithAck.Encode()), Is.EqualTo(request));

        const string ack = "83a47479706509a9726571756573744964a6365a796e6565a67061636b657481a26f6b07";
        Assert.That(Convert.ToHexStringLower(ClassicResponse.BroadcastAck("6Zynee", new JObject { ["ok"] = 7 }).Encode()), Is.EqualTo(ack));
    }

    // REDIS-WIRE.md vectors 1, 2 and 4; the emitter's order of opts (rooms, flags, except) with an offset of ours.
    [TestCase("93a64374596b556983a47479706502a46461746195a568656c6c6fa5776f726c6401cb3ff800000000000081a16192c3c0a36e7370a12f83a5726f6f6d7390a665786365707490a5666c61677380")]
    [TestCase("93a663667071617783a47479706502a46461746192a362696ec403010203a36e7370a52f6368617483a5726f6f6d7390a665786365707490a5666c61677382a8766f6c6174696c65c3a8636f6d7072657373c2")]
    [TestCase("93a6466d5873636783a47479706502a46461746193a362696ec402010281a164d6ff00000000a36e7370a12f83a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380")]
    [TestCase("93a7656d6974746572" + "83a47479706502a46461746191a165a36e7370a12f" + "84a5726f6f6d7391a172a5666c61677380a665786365707491a178a66f6666736574a137")]
    public void A_broadcast_read_field_by_field_holds_what_its_tree_holds(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var tree = (JArray)NotepackDecoder.Decode(bytes);
        ClassicBroadcast? fast = ClassicBroadcastReader.TryRead(bytes, NotepackDecoder.DefaultMaxDepth);
        Assert.That(fast, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(fast!.Uid, Is.EqualTo((string)tree[0]!));
            Assert.That(fast.Packet.Namespace, Is.EqualTo((string?)tree[1]!["nsp"] ?? "/"));
            Assert.That(JToken.DeepEquals(fast.Packet.Data, tree[1]!["data"]), Is.True);
            Assert.That(fast.Options.Rooms, Is.EqualTo(tree[2]!["rooms"]!.Select(r => (string)r!)));
            Assert.That(fast.Options.Except, Is.EqualTo(tree[2]!["except"]!.Select(r => (string)r!)));
            Assert.That(JToken.DeepEquals(fast.Options.Flags, tree[2]!["flags"]), Is.True);
            Assert.That(fast.Options.Offset, Is.EqualTo((string?)tree[2]!["offset"]));
        });
    }

    // A number as room (socket.join(1) on a Node node), a nil uid, a truncated message.
    [TestCase("93a17583a47479706502a46461746191a165a36e7370a12f83a5726f6f6d739101a665786365707490a5666c61677380")]
    [TestCase("93c083a47479706502a46461746191a165a36e7370a12f83a5726f6f6d7390a665786365707490a5666c61677380")]
    [TestCase("93a17583a47479706502a46461746191a165a36e7370a12f83a5726f6f6d7390a665786365707490a5666c616773")]
    public void A_broadcast_of_another_shape_is_left_to_the_tree(string hex) =>
        Assert.That(ClassicBroadcastReader.TryRead(Convert.FromHexString(hex), NotepackDecoder.DefaultMaxDepth), Is.Null);

    [Test]
    public void A_broadcast_with_a_number_as_room_still_decodes() =>
        Assert.That(ClassicBroadcast.Decode(Convert.FromHexString("93a17583a47479706502a46461746191a165a36e7370a12f83a5726f6f6d739101a665786365707490a5666c61677380")).Options.Rooms,
            Is.EqualTo(new[] { "1" }));

    [Test]
    public void Classic_json_requests_are_written_as_json_stringify_writes_them()
    {
        Assert.That(Text(ClassicRequest.AllRooms("yA64Ax", "kQNr4V").Encode()), Is.EqualTo("{\"uid\":\"yA64Ax\",\"requestId\":\"kQNr4V\",\"type\":1}"));
        Assert.That(Text(ClassicRequest.RemoteDisconnect("CtYkUi", BroadcastOptions.All, close: true).Encode()),
            Is.EqualTo("{\"uid\":\"CtYkUi\",\"type\":4,\"opts\":{\"rooms\":[],\"except\":[]},\"close\":true}"));
        Assert.That(Text(ClassicRequest.RemoteJoin(null, new BroadcastOptions(["a"], []), ["b"]).Encode()),
            Is.EqualTo("{\"type\":2,\"opts\":{\"rooms\":[\"a\"],\"except\":[]},\"rooms\":[\"b\"]}"), "the emitter's form, with no uid");
        // JSON.stringify writes a Buffer as its toJSON() object and a Date as its ISO text.
        var sse = ClassicRequest.ServerSideEmit("u", null, ["e", new byte[] { 1, 2 }, new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc), "é\u2028"]);
        Assert.That(Text(sse.Encode()), Is.EqualTo("{\"uid\":\"u\",\"type\":6,\"data\":[\"e\",{\"type\":\"Buffer\",\"data\":[1,2]},\"2024-01-02T03:04:05.678Z\",\"é\u2028\"]}"));
        Assert.That(Text(ClassicResponse.ServerSideEmitAck("r", null).Encode()), Is.EqualTo("{\"type\":6,\"requestId\":\"r\"}"), "an undefined ack leaves data out");
    }

    [Test]
    public void Legacy_requests_and_numeric_rooms_are_read()
    {
        var legacy = ClassicRequest.Decode(Encoding.UTF8.GetBytes("{\"uid\":\"old\",\"requestId\":\"r1\",\"type\":2,\"sid\":\"s1\",\"room\":\"x\"}"));
        Assert.That((legacy.LegacySocketId, legacy.LegacyRoom, legacy.Options), Is.EqualTo(("s1", "x", (BroadcastOptions?)null)));

        var numeric = ClassicRequest.Decode(Encoding.UTF8.GetBytes("{\"type\":3,\"opts\":{\"rooms\":[1,1.5]},\"rooms\":[42]}"));
        Assert.That(numeric.Options!.Rooms, Is.EqualTo(new[] { "1", "1.5" }));
        Assert.That(numeric.Options.Except, Is.Empty, "a missing except means none, as new Set(undefined)");
        Assert.That(numeric.Rooms, Is.EqualTo(new[] { "42" }));
    }

    [Test]
    public void Heartbeats_and_adapter_close_have_no_data()
    {
        foreach (var type in new[] { ClusterMessageType.InitialHeartbeat, ClusterMessageType.Heartbeat, ClusterMessageType.AdapterClose })
        {
            byte[] bytes = ClusterMessage.Signal(type, "2df1e440eb1b314a", "/").Encode();
            Assert.That(Text(bytes), Is.EqualTo($"{{\"type\":{(int)type},\"uid\":\"2df1e440eb1b314a\",\"nsp\":\"/\"}}"));
            Assert.That(ClusterMessage.Decode(bytes).Type, Is.EqualTo(type));
        }
    }

    [Test]
    public void The_documented_sharded_vectors_decode_and_encode_back()
    {
        string[] json =
        [
            "{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"withack\",\"q\"]},\"requestId\":\"55a2f84de60360bb\",\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{\"timeout\":20}}},\"uid\":\"2df1e440eb1b314a\",\"nsp\":\"/\"}",
            "{\"type\":7,\"data\":{\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{\"timeout\":50}},\"requestId\":\"3a143d5e855d19ba\"},\"uid\":\"2df1e440eb1b314a\",\"nsp\":\"/\"}",
        ];
        foreach (string text in json)
        {
            Assert.That(Text(ClusterMessage.Decode(Encoding.UTF8.GetBytes(text)).Encode()), Is.EqualTo(text));
        }

        const string binary = "84a47479706503a46461746182a67061636b657482a47479706502a46461746192a362696ec403010203a46f70747383a5726f6f6d7390a665786365707490a5666c61677380a3756964b032646631653434306562316233313461a36e7370a12f";
        Assert.That(Convert.ToHexStringLower(ClusterMessage.Decode(Convert.FromHexString(binary)).Encode()), Is.EqualTo(binary));
    }

    [TestCase("{\"type\":99}", "unknown type")]
    [TestCase("{\"type\":\"1\",\"requestId\":\"r\"}", "integer request type")]
    [TestCase("{\"type\":1}", "no requestId")]
    [TestCase("{\"type\":2,\"opts\":{\"rooms\":[{}]},\"rooms\":[]}", "neither a string nor a number")]
    [TestCase("{\"type\":6,\"uid\":\"u\"}", "no data array")]
    [TestCase("{\"type\":1,\"requestId\":\"r\",\"requestId\":\"s\"}", "duplicate")]
    [TestCase("[1]", "trailing bytes")] // not "{": read as MessagePack, as Node does
    [TestCase("{\"type\":1", "")]
    public void Bad_classic_requests_are_protocol_exceptions(string text, string message)
    {
        var e = Assert.Throws<ProtocolException>(() => ClassicRequest.Decode(Encoding.UTF8.GetBytes(text)));
        Assert.That(e!.Message, Does.Contain(message));
    }

    [TestCase("{\"type\":3,\"data\":{\"opts\":{}},\"uid\":\"u\",\"nsp\":\"/\"}", "no packet")]
    [TestCase("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[]}},\"uid\":\"u\",\"nsp\":\"/\"}", "no opts")]
    [TestCase("{\"type\":2,\"uid\":\"u\"}", "no nsp")]
    [TestCase("{\"type\":8,\"data\":{\"requestId\":\"r\"},\"uid\":\"u\",\"nsp\":\"/\"}", "no sockets")]
    public void Bad_cluster_messages_are_protocol_exceptions(string text, string message)
    {
        var e = Assert.Throws<ProtocolException>(() => ClusterMessage.Decode(Encoding.UTF8.GetBytes(text)));
        Assert.That(e!.Message, Does.Contain(message));
    }

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
