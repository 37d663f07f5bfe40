using System.Text;
using Signaling.Protocol;
using Signaling.Protocol.EngineIo;

namespace Signaling.Tests.Protocol.EngineIo;

public sealed class EnginePacketCodecTests
{
    private static readonly EngineIoVersion[] Versions = [EngineIoVersion.V3, EngineIoVersion.V4];

    [TestCase("0", EnginePacketType.Open, "")]
    [TestCase("0{\"sid\":\"abc\"}", EnginePacketType.Open, "{\"sid\":\"abc\"}")]
    [TestCase("1", EnginePacketType.Close, "")]
    [TestCase("2", EnginePacketType.Ping, "")]
    [TestCase("2probe", EnginePacketType.Ping, "probe")]
    [TestCase("3", EnginePacketType.Pong, "")]
    [TestCase("3probe", EnginePacketType.Pong, "probe")]
    [TestCase("4hello", EnginePacketType.Message, "hello")]
    [TestCase("4", EnginePacketType.Message, "")]
    [TestCase("4héllo €😀", EnginePacketType.Message, "héllo €😀")]
    [TestCase("5", EnginePacketType.Upgrade, "")]
    [TestCase("6", EnginePacketType.Noop, "")]
    public void Text_packets_decode_and_encode_alike_in_both_versions(string encoded, EnginePacketType type, string text)
    {
        foreach (var version in Versions)
        {
            var packet = EnginePacketCodec.DecodeText(encoded, version);
            Assert.Multiple(() =>
            {
                Assert.That(packet.Type, Is.EqualTo(type));
                Assert.That(packet.Text, Is.EqualTo(text));
                Assert.That(packet.IsBinary, Is.False);
                Assert.That(EnginePacketCodec.EncodeText(packet, version), Is.EqualTo(encoded));
            });
            var fromUtf8 = EnginePacketCodec.DecodeUtf8(Encoding.UTF8.GetBytes(encoded), version);
            Assert.Multiple(() =>
            {
                Assert.That(fromUtf8.Type, Is.EqualTo(type));
                Assert.That(fromUtf8.Text, Is.EqualTo(text));
                Assert.That(fromUtf8.IsBinary, Is.False);
            });
        }
    }

    [Test]
    public void Utf8_text_frames_decode_base64_messages_as_binary()
    {
        Assert.Multiple(() =>
        {
            Assert.That(EnginePacketCodec.DecodeUtf8("bAQIDBA=="u8, EngineIoVersion.V4).Binary.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
            Assert.That(EnginePacketCodec.DecodeUtf8("b4AQIDBA=="u8, EngineIoVersion.V3).Binary.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        });
    }

    [TestCase(new byte[] { 0x34, 0xC3 })]
    [TestCase(new byte[] { 0x34, 0x61, 0xFF })]
    [TestCase(new byte[] { 0xC3, 0xA9 })]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Utf8_text_frames_that_are_not_utf8_or_lack_a_type_digit_are_protocol_errors(byte[] frame)
    {
        foreach (var version in Versions)
        {
            Assert.Throws<ProtocolException>(() => EnginePacketCodec.DecodeUtf8(frame, version));
        }
    }

    [Test]
    public void Utf8_text_frames_encode_the_type_digit_and_the_text()
    {
        var packet = EnginePacket.Message("€ and 😀");
        var buffer = new byte[EnginePacketCodec.GetUtf8ByteCount(packet)];
        var written = EnginePacketCodec.EncodeUtf8(packet, buffer);
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(buffer.Length));
            Assert.That(Encoding.UTF8.GetString(buffer), Is.EqualTo("4€ and 😀"));
        });
    }

    [Test]
    public void V4_binary_frames_are_the_raw_bytes_of_a_message()
    {
        var packet = EnginePacketCodec.DecodeBinary(new byte[] { 1, 2, 3, 4 }, EngineIoVersion.V4);
        Assert.Multiple(() =>
        {
            Assert.That(packet.Type, Is.EqualTo(EnginePacketType.Message));
            Assert.That(packet.IsBinary, Is.True);
            Assert.That(packet.Binary.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
            Assert.That(EnginePacketCodec.EncodeBinary(packet, EngineIoVersion.V4), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        });
    }

    [Test]
    public void V4_empty_binary_frame_is_an_empty_binary_message()
    {
        var packet = EnginePacketCodec.DecodeBinary(ReadOnlySpan<byte>.Empty, EngineIoVersion.V4);
        Assert.Multiple(() =>
        {
            Assert.That(packet.IsBinary, Is.True);
            Assert.That(packet.Binary.Length, Is.Zero);
        });
    }

    [Test]
    public void V3_binary_frames_start_with_the_type_byte()
    {
        var packet = EnginePacketCodec.DecodeBinary(new byte[] { 4, 1, 2, 3 }, EngineIoVersion.V3);
        Assert.Multiple(() =>
        {
            Assert.That(packet.Type, Is.EqualTo(EnginePacketType.Message));
            Assert.That(packet.Binary.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(EnginePacketCodec.EncodeBinary(packet, EngineIoVersion.V3), Is.EqualTo(new byte[] { 4, 1, 2, 3 }));
        });
    }

    [Test]
    public void Decoded_binary_owns_its_bytes()
    {
        var frame = new byte[] { 4, 9, 9 };
        var v3 = EnginePacketCodec.DecodeBinary(frame, EngineIoVersion.V3);
        var v4 = EnginePacketCodec.DecodeBinary(frame, EngineIoVersion.V4);
        frame.AsSpan().Clear();
        Assert.Multiple(() =>
        {
            Assert.That(v3.Binary.ToArray(), Is.EqualTo(new byte[] { 9, 9 }));
            Assert.That(v4.Binary.ToArray(), Is.EqualTo(new byte[] { 4, 9, 9 }));
        });
    }

    [Test]
    public void Base64_text_forms_of_binary_messages_differ_per_version()
    {
        var packet = EnginePacket.BinaryMessage(new byte[] { 1, 2, 3, 4 });
        Assert.Multiple(() =>
        {
            Assert.That(EnginePacketCodec.EncodeText(packet, EngineIoVersion.V4), Is.EqualTo("bAQIDBA=="));
            Assert.That(EnginePacketCodec.EncodeText(packet, EngineIoVersion.V3), Is.EqualTo("b4AQIDBA=="));
            Assert.That(EnginePacketCodec.DecodeText("bAQIDBA==", EngineIoVersion.V4).Binary.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
            Assert.That(EnginePacketCodec.DecodeText("b4AQIDBA==", EngineIoVersion.V3).Binary.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        });
    }

    [TestCase("", EngineIoVersion.V4)]
    [TestCase("", EngineIoVersion.V3)]
    [TestCase("abc", EngineIoVersion.V4)]
    [TestCase("7", EngineIoVersion.V4)]
    [TestCase("9x", EngineIoVersion.V3)]
    [TestCase("-1", EngineIoVersion.V3)]
    [TestCase("\u001e", EngineIoVersion.V4)]
    [TestCase("b!!!", EngineIoVersion.V4)]
    [TestCase("bAQIDBA=", EngineIoVersion.V4)]
    [TestCase("b", EngineIoVersion.V3)]
    [TestCase("b4!!", EngineIoVersion.V3)]
    [TestCase("b2AQ==", EngineIoVersion.V3)]
    [TestCase("bxAQ==", EngineIoVersion.V3)]
    public void Malformed_text_packets_are_protocol_errors(string encoded, EngineIoVersion version)
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ProtocolException>(() => EnginePacketCodec.DecodeText(encoded, version));
            Assert.Throws<ProtocolException>(() => EnginePacketCodec.DecodeUtf8(Encoding.UTF8.GetBytes(encoded), version));
        });
    }

    [TestCase(new byte[0])]
    [TestCase(new byte[] { 2, 1 })]
    [TestCase(new byte[] { 0x34, 1 })]
    public void Malformed_v3_binary_frames_are_protocol_errors(byte[] frame)
    {
        Assert.Throws<ProtocolException>(() => EnginePacketCodec.DecodeBinary(frame, EngineIoVersion.V3));
    }

    [Test]
    public void Encoders_refuse_the_wrong_form()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => EnginePacketCodec.GetUtf8ByteCount(EnginePacket.BinaryMessage(new byte[] { 1 })));
            Assert.Throws<ArgumentException>(() => EnginePacketCodec.EncodeBinary(EnginePacket.Message("x"), EngineIoVersion.V4));
        });
    }
}
