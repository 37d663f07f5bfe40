using System.Text;
using Signaling.Protocol;
using Signaling.Protocol.EngineIo;

namespace Signaling.Tests.Protocol.EngineIo;

public sealed class PollingPayloadV3Tests
{
    [Test]
    public void Lengths_count_utf16_code_units_as_in_the_spec_history()
    {
        // The spec: "€ was encoded to 2:4€, though Buffer.byteLength('€') === 3".
        Assert.Multiple(() =>
        {
            Assert.That(PollingPayloadV3.Encode([EnginePacket.Message("€")]), Is.EqualTo("2:4€"));
            Assert.That(PollingPayloadV3.Decode("2:4€").Single().Text, Is.EqualTo("€"));
            Assert.That(PollingPayloadV3.Decode("3:4😀").Single().Text, Is.EqualTo("😀"));
        });
    }

    [Test]
    public void Several_packets_including_base64_binary()
    {
        const string payload = "6:4hello1:210:b4AQIDBA==";
        var packets = PollingPayloadV3.Decode(payload);
        Assert.Multiple(() =>
        {
            Assert.That(packets.Select(PollingPayloadV4Tests.Describe), Is.EqualTo(new[] { "Message:hello", "Ping:", "Message:bin:01020304" }));
            Assert.That(PollingPayloadV3.Encode(packets), Is.EqualTo(payload));
            Assert.That(PollingPayloadV3.HasBinary(packets), Is.True);
            Assert.That(PollingPayloadV3.HasBinary([packets[0]]), Is.False);
        });
    }

    [Test]
    public void A_reference_handshake_payload_decodes()
    {
        const string open = "0{\"sid\":\"abc\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000}";
        var packets = PollingPayloadV3.Decode($"{open.Length}:{open}2:40");
        Assert.Multiple(() =>
        {
            Assert.That(packets[0].Type, Is.EqualTo(EnginePacketType.Open));
            Assert.That(packets[1], Is.EqualTo(EnginePacket.Message("0")));
        });
    }

    [Test]
    public void Empty_packet_list_encodes_as_the_reference_and_decodes_back()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PollingPayloadV3.Encode([]), Is.EqualTo("0:"));
            Assert.That(PollingPayloadV3.Decode("0:"), Is.Empty);
        });
    }

    [Test]
    public void Every_packet_type_round_trips_in_text_and_binary_payloads()
    {
        var packets = Enum.GetValues<EnginePacketType>().Select(t => EnginePacket.Create(t, t == EnginePacketType.Message ? "m€😀" : "")).ToList();
        packets.Add(EnginePacket.BinaryMessage(new byte[] { 0, 255, 4 }));
        var expected = packets.Select(PollingPayloadV4Tests.Describe);
        Assert.Multiple(() =>
        {
            Assert.That(PollingPayloadV3.Decode(PollingPayloadV3.Encode(packets)).Select(PollingPayloadV4Tests.Describe), Is.EqualTo(expected));
            Assert.That(PollingPayloadV3.DecodeBinary(PollingPayloadV3.EncodeBinary(packets)).Select(PollingPayloadV4Tests.Describe), Is.EqualTo(expected));
        });
    }

    [Test]
    public void Binary_payload_layout_matches_the_reference()
    {
        var bytes = PollingPayloadV3.EncodeBinary([EnginePacket.Message("€"), EnginePacket.BinaryMessage(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]);
        // Text: kind 0, length 4 (UTF-8 bytes of "4€"), 0xFF, bytes. Binary: kind 1, length 11 as digits 1,1, 0xFF, type 4, data.
        byte[] expected = [0, 4, 0xFF, .. Encoding.UTF8.GetBytes("4€"), 1, 1, 1, 0xFF, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.That(bytes, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("4hello")]
    [TestCase(":4hello")]
    [TestCase("a:4hello")]
    [TestCase("6;4hello")]
    [TestCase("-1:4")]
    [TestCase("10:4hi")]
    [TestCase("2:4")]
    [TestCase("12345678901:4hello")]
    [TestCase("99999999999999999999999999999:4")]
    [TestCase("9999999999:4hello")]
    [TestCase("6:4hello3")]
    [TestCase("1:a")]
    [TestCase("1:b")]
    [TestCase("5:b4%%%")]
    public void Malformed_text_payloads_are_protocol_errors(string payload)
    {
        Assert.Throws<ProtocolException>(() => PollingPayloadV3.Decode(payload));
    }

    [TestCase(new byte[0])]
    [TestCase(new byte[] { 2, 1, 0xFF, 0x34 })]
    [TestCase(new byte[] { 0, 1 })]
    [TestCase(new byte[] { 0, 0xFF, 0x34 })]
    [TestCase(new byte[] { 0, 10, 0xFF, 0x34 })]
    [TestCase(new byte[] { 0, 2, 0xFF, 0x34 })]
    [TestCase(new byte[] { 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0xFF, 0x34 })]
    [TestCase(new byte[] { 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0xFF, 0x34 })]
    [TestCase(new byte[] { 0, 2, 0xFF, 0x34, 0xC3 })]
    [TestCase(new byte[] { 0, 1, 0xFF, 0x61 })]
    [TestCase(new byte[] { 1, 0, 0xFF })]
    [TestCase(new byte[] { 1, 2, 0xFF, 2, 1 })]
    [TestCase(new byte[] { 0, 1, 0xFF, 0x34, 0 })]
    public void Malformed_binary_payloads_are_protocol_errors(byte[] payload)
    {
        Assert.Throws<ProtocolException>(() => PollingPayloadV3.DecodeBinary(payload));
    }
}
