using Newtonsoft.Json.Linq;
using Signaling.Protocol;
using Signaling.Protocol.SocketIo;
using static Signaling.Tests.Protocol.SocketIo.SocketPacketAssert;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>Decoding the examples of the Socket.IO protocol specification (v5 main README, v4 branch).</summary>
public sealed class SocketPacketDecoderTests
{
    private const string Placeholder0 = "{\"_placeholder\":true,\"num\":0}";
    private const string Placeholder1 = "{\"_placeholder\":true,\"num\":1}";

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Connect_to_main_namespace(SocketIoVersion version) =>
        Matches(DecodeComplete("0", version), SocketPacketType.Connect, "/", null, null);

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Connect_to_custom_namespace(SocketIoVersion version) =>
        Matches(DecodeComplete("0/admin,", version), SocketPacketType.Connect, "/admin", null, null);

    [Test]
    public void V5_server_connect_carries_the_socket_id() =>
        Matches(DecodeComplete("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", SocketIoVersion.V5),
            SocketPacketType.Connect, "/admin", null, "{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}");

    [Test]
    public void V5_client_connect_carries_auth() =>
        Matches(DecodeComplete("0/admin,{\"token\":\"123\"}", SocketIoVersion.V5),
            SocketPacketType.Connect, "/admin", null, "{\"token\":\"123\"}");

    [Test]
    public void V5_connect_to_main_namespace_with_auth() =>
        Matches(DecodeComplete("0{\"token\":\"123\"}", SocketIoVersion.V5), SocketPacketType.Connect, "/", null, "{\"token\":\"123\"}");

    [Test]
    public void V4_connect_query_is_split_from_the_namespace() =>
        Matches(DecodeComplete("0/admin?token=1234&uid=abcd,", SocketIoVersion.V4),
            SocketPacketType.Connect, "/admin", null, null, query: "token=1234&uid=abcd");

    [Test]
    public void V4_connect_query_on_main_namespace() =>
        Matches(DecodeComplete("0/?token=1,", SocketIoVersion.V4), SocketPacketType.Connect, "/", null, null, query: "token=1");

    [Test]
    public void V5_keeps_a_question_mark_in_the_namespace() =>
        Matches(DecodeComplete("0/admin?token=1,", SocketIoVersion.V5), SocketPacketType.Connect, "/admin?token=1", null, null);

    [Test]
    public void V4_query_is_split_only_on_connect() =>
        Matches(DecodeComplete("2/admin?x,[\"a\"]", SocketIoVersion.V4), SocketPacketType.Event, "/admin?x", null, "[\"a\"]");

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Disconnect(SocketIoVersion version)
    {
        Matches(DecodeComplete("1", version), SocketPacketType.Disconnect, "/", null, null);
        Matches(DecodeComplete("1/admin,", version), SocketPacketType.Disconnect, "/admin", null, null);
    }

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Namespace_without_trailing_comma_runs_to_the_end(SocketIoVersion version) =>
        Matches(DecodeComplete("1/admin", version), SocketPacketType.Disconnect, "/admin", null, null);

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Events(SocketIoVersion version)
    {
        Matches(DecodeComplete("2[\"foo\"]", version), SocketPacketType.Event, "/", null, "[\"foo\"]");
        Matches(DecodeComplete("2/admin,[\"bar\"]", version), SocketPacketType.Event, "/admin", null, "[\"bar\"]");
        Matches(DecodeComplete("2[\"hello\",1]", version), SocketPacketType.Event, "/", null, "[\"hello\",1]");
        Matches(DecodeComplete("212[\"foo\"]", version), SocketPacketType.Event, "/", 12, "[\"foo\"]");
        Matches(DecodeComplete("2/admin,456[\"project:delete\",123]", version),
            SocketPacketType.Event, "/admin", 456, "[\"project:delete\",123]");
    }

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Acks(SocketIoVersion version)
    {
        Matches(DecodeComplete("3/admin,13[\"bar\"]", version), SocketPacketType.Ack, "/admin", 13, "[\"bar\"]");
        Matches(DecodeComplete("3/admin,456[]", version), SocketPacketType.Ack, "/admin", 456, "[]");
        Matches(DecodeComplete("312[]", version), SocketPacketType.Ack, "/", 12, "[]");
    }

    [Test]
    public void V5_connect_error_is_an_object() =>
        Matches(DecodeComplete("4{\"message\":\"Not authorized\"}", SocketIoVersion.V5),
            SocketPacketType.ConnectError, "/", null, "{\"message\":\"Not authorized\"}");

    [Test]
    public void V5_connect_error_with_data() =>
        Matches(DecodeComplete("4/admin,{\"message\":\"nope\",\"data\":{\"code\":7}}", SocketIoVersion.V5),
            SocketPacketType.ConnectError, "/admin", null, "{\"message\":\"nope\",\"data\":{\"code\":7}}");

    [Test]
    public void V4_connect_error_is_a_string() =>
        Matches(DecodeComplete("4/admin,\"Not authorized\"", SocketIoVersion.V4),
            SocketPacketType.ConnectError, "/admin", null, "\"Not authorized\"");

    [Test]
    public void V4_connect_error_may_be_an_object_from_middleware_data() =>
        Matches(DecodeComplete("4{\"code\":7}", SocketIoVersion.V4), SocketPacketType.ConnectError, "/", null, "{\"code\":7}");

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Binary_event_waits_for_its_attachment(SocketIoVersion version)
    {
        var decoder = new SocketPacketDecoder(version);

        Assert.That(decoder.Decode("51-[\"baz\"," + Placeholder0 + "]"), Is.Null);
        Assert.That(decoder.AwaitingAttachments, Is.True);
        SocketPacket? packet = decoder.AddAttachment(new byte[] { 1, 2, 3, 4 });

        Assert.That(packet, Is.Not.Null);
        Assert.That(decoder.AwaitingAttachments, Is.False);
        Assert.That(packet!.Type, Is.EqualTo(SocketPacketType.BinaryEvent));
        Assert.That(packet.Data![1]!.Type, Is.EqualTo(JTokenType.Bytes));
        Assert.That(Bytes(packet.Data![1]), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(Text(packet.Data![0]), Is.EqualTo("baz"));
    }

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Binary_event_with_several_attachments_in_a_namespace_with_ack(SocketIoVersion version)
    {
        var decoder = new SocketPacketDecoder(version);

        Assert.That(decoder.Decode("52-/admin,7[\"baz\"," + Placeholder0 + "," + Placeholder1 + "]"), Is.Null);
        Assert.That(decoder.AddAttachment(new byte[] { 1, 2 }), Is.Null);
        Assert.That(decoder.AwaitingAttachments, Is.True);
        SocketPacket? packet = decoder.AddAttachment(new byte[] { 3, 4 });

        Assert.That(packet, Is.Not.Null);
        Matches(packet!, SocketPacketType.BinaryEvent, "/admin", 7, "[\"baz\",\"AQI=\",\"AwQ=\"]");
        Assert.That(Bytes(packet.Data![1]), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(Bytes(packet.Data[2]), Is.EqualTo(new byte[] { 3, 4 }));
    }

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Binary_ack_from_the_spec(SocketIoVersion version)
    {
        var decoder = new SocketPacketDecoder(version);

        Assert.That(decoder.Decode("61-/admin,456[" + Placeholder0 + "]"), Is.Null);
        SocketPacket? packet = decoder.AddAttachment(new byte[] { 3, 2, 1 });

        Assert.That(packet, Is.Not.Null);
        Assert.That(packet!.Type, Is.EqualTo(SocketPacketType.BinaryAck));
        Assert.That(packet.AckId, Is.EqualTo(456));
        Assert.That(packet.Namespace, Is.EqualTo("/admin"));
        Assert.That(Bytes(packet.Data![0]), Is.EqualTo(new byte[] { 3, 2, 1 }));
    }

    [Test]
    public void Placeholders_nested_in_objects_and_arrays_in_any_order()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5);
        string text = "63-15[{\"a\":[1,{\"_placeholder\":true,\"num\":2}],\"b\":{\"num\":1,\"_placeholder\":true}}," + Placeholder0 + "]";

        Assert.That(decoder.Decode(text), Is.Null);
        decoder.AddAttachment(new byte[] { 0 });
        decoder.AddAttachment(new byte[] { 1 });
        SocketPacket? packet = decoder.AddAttachment(new byte[] { 2 });

        Assert.That(packet, Is.Not.Null);
        Assert.That(Bytes(packet!.Data![0]!["a"]![1]!), Is.EqualTo(new byte[] { 2 }));
        Assert.That(Bytes(packet.Data[0]!["b"]!), Is.EqualTo(new byte[] { 1 }));
        Assert.That(Bytes(packet.Data[1]), Is.EqualTo(new byte[] { 0 }));
    }

    [Test]
    public void Binary_packet_announcing_no_attachments_is_complete_at_once() =>
        Matches(DecodeComplete("50-[\"a\"]", SocketIoVersion.V5), SocketPacketType.BinaryEvent, "/", null, "[\"a\"]");

    [Test]
    public void A_placeholder_set_to_false_is_ordinary_data() =>
        Matches(DecodeComplete("2[\"a\",{\"_placeholder\":false,\"num\":0}]", SocketIoVersion.V5),
            SocketPacketType.Event, "/", null, "[\"a\",{\"_placeholder\":false,\"num\":0}]");

    [Test]
    public void Attachment_spanning_a_whole_array_is_taken_without_copying()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5);
        byte[] whole = [9, 8, 7];
        decoder.Decode("51-[\"a\"," + Placeholder0 + "]");

        SocketPacket? packet = decoder.AddAttachment(whole);

        Assert.That(Bytes(packet!.Data![1]), Is.SameAs(whole));
    }

    [Test]
    public void Attachment_that_is_a_slice_is_copied()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5);
        byte[] buffer = [0, 9, 8, 7, 0];
        decoder.Decode("51-[\"a\"," + Placeholder0 + "]");

        SocketPacket? packet = decoder.AddAttachment(buffer.AsMemory(1, 3));
        buffer[2] = 42;

        Assert.That(Bytes(packet!.Data![1]), Is.EqualTo(new byte[] { 9, 8, 7 }));
    }

    [Test]
    public void Decoder_is_reusable_after_a_binary_packet()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5);
        decoder.Decode("51-[\"a\"," + Placeholder0 + "]");
        decoder.AddAttachment(new byte[] { 1 });

        Matches(decoder.Decode("2[\"b\"]")!, SocketPacketType.Event, "/", null, "[\"b\"]");
    }

    [Test]
    public void Largest_ack_id_that_fits_an_int() =>
        Assert.That(DecodeComplete("22147483647[\"a\"]", SocketIoVersion.V5).AckId, Is.EqualTo(int.MaxValue));

    [Test]
    public void Whitespace_around_the_payload_is_allowed_like_JSON_parse() =>
        Matches(DecodeComplete("2 [ \"a\" , 1 ]\n", SocketIoVersion.V5), SocketPacketType.Event, "/", null, "[\"a\",1]");

    [Test]
    public void Dates_stay_strings() =>
        Assert.That(DecodeComplete("2[\"a\",\"2020-01-01T00:00:00Z\"]", SocketIoVersion.V5).Data![1]!.Type,
            Is.EqualTo(JTokenType.String));

    [Test]
    public void Large_integers_keep_every_digit() =>
        Assert.That(DecodeComplete("2[\"a\",123456789012345678901234567890,-9223372036854775809]", SocketIoVersion.V5)
            .Data!.ToString(Newtonsoft.Json.Formatting.None),
            Is.EqualTo("[\"a\",123456789012345678901234567890,-9223372036854775809]"));

    [Test]
    public void Fractions_keep_their_value()
    {
        JToken data = DecodeComplete("2[\"a\",1.0,0.1,-2.5e-7,1e21,5e-324]", SocketIoVersion.V5).Data!;

        Assert.That(SocketPacketEncoder.Encode(new SocketPacket { Type = SocketPacketType.Event, Data = data }, SocketIoVersion.V5).Text,
            Is.EqualTo("2[\"a\",1.0,0.1,-2.5e-7,1e+21,5e-324]"));
        Assert.That((double)data[3]!, Is.EqualTo(-2.5e-7));
        Assert.That((double)data[4]!, Is.EqualTo(1e21));
        Assert.That((double)data[5]!, Is.EqualTo(double.Epsilon));
    }

    [Test]
    public void String_escapes_are_resolved()
    {
        JToken data = DecodeComplete("2[\"a\",\"q\\\"b\\\\s\\/n\\n\\u00e9\\ud83d\\ude00\\t\",{\"k\\u0021\":1}]", SocketIoVersion.V5).Data!;

        Assert.That(Text(data[1]!), Is.EqualTo("q\"b\\s/n\n\u00e9\U0001F600\t"));
        Assert.That(((JObject)data[2]!).ContainsKey("k!"), Is.True);
    }

    [Test]
    public void Unicode_text_passes_through_unescaped() =>
        Assert.That(Text(DecodeComplete("2[\"说\",\"\U0001F600\"]", SocketIoVersion.V5).Data![1]), Is.EqualTo("\U0001F600"));

    [Test]
    public void Payload_exactly_at_the_depth_limit_is_accepted()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5, new DecodeLimits { MaxJsonDepth = 4 });

        Assert.That(decoder.Decode("2[\"a\",[[{\"b\":1}]]]"), Is.Not.Null);
    }

    [Test]
    public void Default_limits()
    {
        Assert.That(DecodeLimits.Default.MaxJsonDepth, Is.EqualTo(32));
        Assert.That(DecodeLimits.Default.MaxAttachments, Is.EqualTo(64));
    }
}
