using Signaling.Protocol;
using Signaling.Protocol.EngineIo;

namespace Signaling.Tests.Protocol.EngineIo;

public sealed class PollingPayloadV4Tests
{
    [Test]
    public void Spec_example_with_text_packets()
    {
        var packets = PollingPayloadV4.Decode("4hello\u001e2\u001e4world");
        Assert.Multiple(() =>
        {
            Assert.That(packets, Has.Count.EqualTo(3));
            Assert.That(packets[0], Is.EqualTo(EnginePacket.Message("hello")));
            Assert.That(packets[1], Is.EqualTo(EnginePacket.Create(EnginePacketType.Ping)));
            Assert.That(packets[2], Is.EqualTo(EnginePacket.Message("world")));
            Assert.That(PollingPayloadV4.Encode(packets), Is.EqualTo("4hello\u001e2\u001e4world"));
        });
    }

    [Test]
    public void Spec_example_with_a_binary_packet()
    {
        var packets = PollingPayloadV4.Decode("4hello\u001ebAQIDBA==");
        Assert.Multiple(() =>
        {
            Assert.That(packets, Has.Count.EqualTo(2));
            Assert.That(packets[0].Text, Is.EqualTo("hello"));
            Assert.That(packets[1].IsBinary, Is.True);
            Assert.That(packets[1].Binary.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
            Assert.That(PollingPayloadV4.Encode(packets), Is.EqualTo("4hello\u001ebAQIDBA=="));
        });
    }

    [Test]
    public void Every_packet_type_round_trips()
    {
        var packets = Enum.GetValues<EnginePacketType>().Select(t => EnginePacket.Create(t, t == EnginePacketType.Message ? "m€" : "")).ToList();
        packets.Add(EnginePacket.BinaryMessage(new byte[] { 0, 255 }));
        var decoded = PollingPayloadV4.Decode(PollingPayloadV4.Encode(packets));
        Assert.That(decoded.Select(Describe), Is.EqualTo(packets.Select(Describe)));
    }

    [TestCase("")]
    [TestCase("\u001e")]
    [TestCase("4a\u001e")]
    [TestCase("\u001e4a")]
    [TestCase("4a\u001e\u001e4b")]
    [TestCase("4hello\u001eabc")]
    [TestCase("4hello\u001eb%%")]
    public void Malformed_payloads_are_protocol_errors(string payload)
    {
        Assert.Throws<ProtocolException>(() => PollingPayloadV4.Decode(payload));
    }

    internal static string Describe(EnginePacket packet) =>
        packet.IsBinary ? $"{packet.Type}:bin:{Convert.ToHexString(packet.Binary.Span)}" : $"{packet.Type}:{packet.Text}";
}
