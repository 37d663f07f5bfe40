using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>Encoding the examples of the Socket.IO protocol specification (v5 main README, v4 branch).</summary>
public sealed class SocketPacketEncoderTests
{
    private static readonly SocketIoVersion[] Versions = [SocketIoVersion.V4, SocketIoVersion.V5];

    [TestCaseSource(nameof(Versions))]
    public void Connect(SocketIoVersion version)
    {
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Connect }, version), Is.EqualTo("0"));
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Connect, Namespace = "/admin" }, version), Is.EqualTo("0/admin,"));
    }

    [Test]
    public void V5_server_connect_with_sid() =>
        Assert.That(Text(new SocketPacket
        {
            Type = SocketPacketType.Connect,
            Namespace = "/admin",
            Data = new JObject { ["sid"] = "oSO0OpakMV_3jnilAAAA" },
        }, SocketIoVersion.V5), Is.EqualTo("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}"));

    [Test]
    public void V4_connect_with_query() =>
        Assert.That(Text(new SocketPacket
        {
            Type = SocketPacketType.Connect,
            Namespace = "/admin",
            NamespaceQuery = "token=1234&uid=abcd",
        }, SocketIoVersion.V4), Is.EqualTo("0/admin?token=1234&uid=abcd,"));

    [Test]
    public void V5_connect_error_object() =>
        Assert.That(Text(new SocketPacket
        {
            Type = SocketPacketType.ConnectError,
            Data = new JObject { ["message"] = "Not authorized" },
        }, SocketIoVersion.V5), Is.EqualTo("4{\"message\":\"Not authorized\"}"));

    [Test]
    public void V4_connect_error_string() =>
        Assert.That(Text(new SocketPacket
        {
            Type = SocketPacketType.ConnectError,
            Namespace = "/admin",
            Data = "Not authorized",
        }, SocketIoVersion.V4), Is.EqualTo("4/admin,\"Not authorized\""));

    [TestCaseSource(nameof(Versions))]
    public void Disconnect(SocketIoVersion version)
    {
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Disconnect }, version), Is.EqualTo("1"));
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Disconnect, Namespace = "/admin" }, version), Is.EqualTo("1/admin,"));
    }

    [TestCaseSource(nameof(Versions))]
    public void Events_and_acks(SocketIoVersion version)
    {
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("foo") }, version), Is.EqualTo("2[\"foo\"]"));
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Event, Namespace = "/admin", Data = new JArray("bar") }, version),
            Is.EqualTo("2/admin,[\"bar\"]"));
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Event, AckId = 12, Data = new JArray("foo") }, version),
            Is.EqualTo("212[\"foo\"]"));
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Event, Namespace = "/admin", AckId = 456, Data = new JArray("project:delete", 123) }, version),
            Is.EqualTo("2/admin,456[\"project:delete\",123]"));
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Ack, Namespace = "/admin", AckId = 13, Data = new JArray("bar") }, version),
            Is.EqualTo("3/admin,13[\"bar\"]"));
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Ack, Namespace = "/admin", AckId = 456, Data = new JArray() }, version),
            Is.EqualTo("3/admin,456[]"));
    }

    [TestCaseSource(nameof(Versions))]
    public void Event_with_bytes_becomes_binary_event(SocketIoVersion version)
    {
        EncodedSocketPacket encoded = SocketPacketEncoder.Encode(
            new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("baz", new byte[] { 1, 2, 3, 4 }) }, version);

        Assert.That(encoded.Text, Is.EqualTo("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]"));
        Assert.That(encoded.Attachments.Select(a => a.ToArray()), Is.EqualTo(new[] { new byte[] { 1, 2, 3, 4 } }));
    }

    [Test]
    public void Multiple_attachments_in_a_namespace()
    {
        EncodedSocketPacket encoded = SocketPacketEncoder.Encode(new SocketPacket
        {
            Type = SocketPacketType.Event,
            Namespace = "/admin",
            Data = new JArray("baz", new byte[] { 1, 2 }, new byte[] { 3, 4 }),
        }, SocketIoVersion.V5);

        Assert.That(encoded.Text, Is.EqualTo("52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"));
        Assert.That(encoded.Attachments.Select(a => a.ToArray()), Is.EqualTo(new[] { new byte[] { 1, 2 }, new byte[] { 3, 4 } }));
    }

    [Test]
    public void Ack_with_bytes_becomes_binary_ack()
    {
        EncodedSocketPacket encoded = SocketPacketEncoder.Encode(new SocketPacket
        {
            Type = SocketPacketType.Ack,
            AckId = 15,
            Data = new JArray("bar", new byte[] { 1, 2, 3, 4 }),
        }, SocketIoVersion.V5);

        Assert.That(encoded.Text, Is.EqualTo("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]"));
        Assert.That(encoded.Attachments, Has.Count.EqualTo(1));
    }

    [Test]
    public void Sample_session_binary_ack() =>
        Assert.That(SocketPacketEncoder.Encode(new SocketPacket
        {
            Type = SocketPacketType.BinaryAck,
            Namespace = "/admin",
            AckId = 1,
            Data = new JArray(new byte[] { 7 }),
        }, SocketIoVersion.V5).Text, Is.EqualTo("61-/admin,1[{\"_placeholder\":true,\"num\":0}]"));

    [Test]
    public void Bytes_nested_anywhere_are_numbered_in_document_order()
    {
        var data = new JArray(
            "evt",
            new JObject { ["a"] = new JArray(1, new byte[] { 0 }), ["b"] = new JObject { ["c"] = new byte[] { 1 } } },
            new byte[] { 2 });

        EncodedSocketPacket encoded = SocketPacketEncoder.Encode(new SocketPacket { Type = SocketPacketType.Event, Data = data }, SocketIoVersion.V5);

        Assert.That(encoded.Text, Is.EqualTo(
            "53-[\"evt\",{\"a\":[1,{\"_placeholder\":true,\"num\":0}],\"b\":{\"c\":{\"_placeholder\":true,\"num\":1}}},{\"_placeholder\":true,\"num\":2}]"));
        Assert.That(encoded.Attachments.Select(a => a.ToArray()), Is.EqualTo(new[] { new byte[] { 0 }, new byte[] { 1 }, new byte[] { 2 } }));
        Assert.That(data[2]!.Type, Is.EqualTo(JTokenType.Bytes), "the caller's packet is left as it was");
    }

    [Test]
    public void Binary_type_without_bytes_is_written_as_plain_event() =>
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.BinaryEvent, Data = new JArray("a") }, SocketIoVersion.V5),
            Is.EqualTo("2[\"a\"]"));

    [Test]
    public void Strings_are_escaped_as_JSON() =>
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("a", "q\"\\\n\u0001é") }, SocketIoVersion.V5),
            Is.EqualTo("2[\"a\",\"q\\\"\\\\\\n\\u0001é\"]"));

    [Test]
    public void Strings_and_names_are_escaped_exactly_as_JSON_stringify_does() =>
        Assert.That(Text(new SocketPacket
        {
            Type = SocketPacketType.Event,
            Data = new JArray("a", "\ud800 \udc00 \ud83d\ude00 \u2028\u2029\u0085\u007f <&>' \b\f\r\t\u001f",
                new JObject { ["k\"\n\udfff"] = 1, ["plain"] = "x" }),
        }, SocketIoVersion.V5),
            Is.EqualTo("2[\"a\",\"\\ud800 \\udc00 \ud83d\ude00 \u2028\u2029\u0085\u007f <&>' \\b\\f\\r\\t\\u001f\",{\"k\\\"\\n\\udfff\":1,\"plain\":\"x\"}]"));

    [Test]
    public void Non_finite_doubles_are_written_as_null_like_JavaScript() =>
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("a", double.NaN, double.PositiveInfinity) }, SocketIoVersion.V5),
            Is.EqualTo("2[\"a\",null,null]"));

    [Test]
    public void A_large_packet_does_not_leak_into_the_next()
    {
        string big = new('x', 200_000);
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("a", big) }, SocketIoVersion.V5),
            Has.Length.EqualTo(big.Length + 9));

        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("b") }, SocketIoVersion.V5), Is.EqualTo("2[\"b\"]"));
        Assert.That(Text(new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("c") }, SocketIoVersion.V5), Is.EqualTo("2[\"c\"]"));
    }

    [Test]
    public void Bytes_outside_events_and_acks_are_refused() =>
        Assert.That(() => Text(new SocketPacket { Type = SocketPacketType.Connect, Data = new JObject { ["x"] = new byte[] { 1 } } }, SocketIoVersion.V5),
            Throws.ArgumentException.With.Message.Contains("Only EVENT and ACK"));

    [TestCase("admin")]
    [TestCase("")]
    [TestCase("/a,b")]
    public void Bad_namespace_is_refused(string ns) =>
        Assert.That(() => Text(new SocketPacket { Type = SocketPacketType.Event, Namespace = ns, Data = new JArray("a") }, SocketIoVersion.V5),
            Throws.ArgumentException.With.Message.Contains("must start with '/'"));

    [Test]
    public void Query_outside_a_v4_connect_is_refused()
    {
        Assert.That(() => Text(new SocketPacket { Type = SocketPacketType.Connect, NamespaceQuery = "a=1" }, SocketIoVersion.V5),
            Throws.ArgumentException);
        Assert.That(() => Text(new SocketPacket { Type = SocketPacketType.Event, NamespaceQuery = "a=1", Data = new JArray("a") }, SocketIoVersion.V4),
            Throws.ArgumentException);
    }

    [Test]
    public void Ack_id_rules()
    {
        Assert.That(() => Text(new SocketPacket { Type = SocketPacketType.Ack, Data = new JArray() }, SocketIoVersion.V5),
            Throws.ArgumentException.With.Message.Contains("needs an ack id"));
        Assert.That(() => Text(new SocketPacket { Type = SocketPacketType.Event, AckId = -1, Data = new JArray("a") }, SocketIoVersion.V5),
            Throws.ArgumentException);
        Assert.That(() => Text(new SocketPacket { Type = SocketPacketType.Connect, AckId = 1 }, SocketIoVersion.V5),
            Throws.ArgumentException);
    }

    private static string Text(SocketPacket packet, SocketIoVersion version)
    {
        EncodedSocketPacket encoded = SocketPacketEncoder.Encode(packet, version);
        Assert.That(encoded.Attachments, Is.Empty);
        return encoded.Text;
    }
}
