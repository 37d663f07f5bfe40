using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>What the encoder writes the decoder reads back unchanged, and relayed text survives decode→encode.</summary>
public sealed class SocketPacketRoundTripTests
{
    public static IEnumerable<TestCaseData> Packets()
    {
        foreach (SocketIoVersion version in new[] { SocketIoVersion.V4, SocketIoVersion.V5 })
        {
            yield return Case(version, "connect main", new SocketPacket { Type = SocketPacketType.Connect });
            yield return Case(version, "connect admin", new SocketPacket { Type = SocketPacketType.Connect, Namespace = "/admin" });
            yield return Case(version, "disconnect", new SocketPacket { Type = SocketPacketType.Disconnect, Namespace = "/admin" });
            yield return Case(version, "event", new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("hello", 1, true, JValue.CreateNull(), new JObject { ["k"] = new JArray(1.5, "x") }) });
            yield return Case(version, "event with ack", new SocketPacket { Type = SocketPacketType.Event, Namespace = "/chat", AckId = 0, Data = new JArray("a") });
            yield return Case(version, "ack", new SocketPacket { Type = SocketPacketType.Ack, AckId = int.MaxValue, Data = new JArray() });
            yield return Case(version, "binary event", new SocketPacket
            {
                Type = SocketPacketType.BinaryEvent,
                Namespace = "/admin",
                AckId = 3,
                Data = new JArray("evt", new JObject { ["a"] = new JArray(new byte[] { 1, 2 }, new JObject { ["b"] = new byte[] { 3 } }) }, new byte[0], new byte[] { 255 }),
            });
            yield return Case(version, "binary ack", new SocketPacket { Type = SocketPacketType.BinaryAck, AckId = 9, Data = new JArray(new byte[] { 4, 5 }) });
        }

        yield return Case(SocketIoVersion.V4, "v4 connect query", new SocketPacket { Type = SocketPacketType.Connect, Namespace = "/admin", NamespaceQuery = "token=1" });
        yield return Case(SocketIoVersion.V4, "v4 connect error", new SocketPacket { Type = SocketPacketType.ConnectError, Data = "Not authorized" });
        yield return Case(SocketIoVersion.V5, "v5 connect auth", new SocketPacket { Type = SocketPacketType.Connect, Data = new JObject { ["token"] = "123" } });
        yield return Case(SocketIoVersion.V5, "v5 connect error", new SocketPacket { Type = SocketPacketType.ConnectError, Data = new JObject { ["message"] = "no", ["data"] = new JObject { ["x"] = 1 } } });
    }

    [TestCaseSource(nameof(Packets))]
    public void Encode_then_decode_gives_the_same_packet(SocketIoVersion version, SocketPacket packet)
    {
        EncodedSocketPacket encoded = SocketPacketEncoder.Encode(packet, version);
        var decoder = new SocketPacketDecoder(version);

        SocketPacket? decoded = decoder.Decode(encoded.Text);
        foreach (ReadOnlyMemory<byte> attachment in encoded.Attachments)
        {
            Assert.That(decoded, Is.Null, "complete only after the last attachment");
            decoded = decoder.AddAttachment(attachment);
        }

        Assert.That(decoded, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(decoded!.Type, Is.EqualTo(packet.Type));
            Assert.That(decoded.Namespace, Is.EqualTo(packet.Namespace));
            Assert.That(decoded.NamespaceQuery, Is.EqualTo(packet.NamespaceQuery));
            Assert.That(decoded.AckId, Is.EqualTo(packet.AckId));
            Assert.That(JToken.DeepEquals(decoded.Data, packet.Data), Is.True, $"{decoded.Data} vs {packet.Data}");
        });
    }

    [TestCase("2[\"offer\",\"B\",{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 4611 2 IN IP4 127.0.0.1\\r\\n\"}]")]
    [TestCase("2/admin,17[\"a\",\"2020-01-01T00:00:00Z\",1.0,-0.5,123456789012345678901234567890,{\"\":[{}],\"z\":null}]")]
    [TestCase("2[\"说\",\"\U0001F600\",\"\u2028\u007f\",\"\\ud800\\u001f\\n\"]")]
    [TestCase("2[\"n\",0.1,-1e-7,1.5e+300,0.000001,123.456,1e+21,5e-324,9007199254740993,1.0,-0.0,100.0]")]
    [TestCase("3/admin,456[]")]
    [TestCase("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}")]
    [TestCase("4{\"message\":\"Not authorized\"}")]
    public void Relayed_text_survives_decode_then_encode(string text)
    {
        SocketPacket packet = SocketPacketAssert.DecodeComplete(text, SocketIoVersion.V5);

        Assert.That(SocketPacketEncoder.Encode(packet, SocketIoVersion.V5).Text, Is.EqualTo(text));
    }

    [Test]
    public void Binary_text_survives_decode_then_encode()
    {
        const string text = "52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"k\":{\"_placeholder\":true,\"num\":1}}]";
        var decoder = new SocketPacketDecoder(SocketIoVersion.V4);
        decoder.Decode(text);
        decoder.AddAttachment(new byte[] { 1 });
        SocketPacket packet = decoder.AddAttachment(new byte[] { 2 })!;

        EncodedSocketPacket encoded = SocketPacketEncoder.Encode(packet, SocketIoVersion.V4);

        Assert.That(encoded.Text, Is.EqualTo(text));
        Assert.That(encoded.Attachments.Select(a => a.ToArray()), Is.EqualTo(new[] { new byte[] { 1 }, new byte[] { 2 } }));
    }

    private static TestCaseData Case(SocketIoVersion version, string name, SocketPacket packet) =>
        new TestCaseData(version, packet).SetArgDisplayNames(version.ToString(), name);
}
