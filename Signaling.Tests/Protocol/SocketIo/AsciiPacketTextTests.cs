using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.SocketIo;

public sealed class AsciiPacketTextTests
{
    [Test]
    public void Ascii_text_is_returned_as_is()
    {
        const string text = "2[\"offer\",\"abc\",{\"sdp\":\"v=0\"}]";
        Assert.That(AsciiPacketText.Escape(text), Is.SameAs(text));
    }

    [Test]
    public void Non_ascii_characters_become_unicode_escapes()
    {
        Assert.That(AsciiPacketText.Escape("2[\"m\",\"héllo 😀\"]"),
            Is.EqualTo("2[\"m\",\"h\\u00e9llo \\ud83d\\ude00\"]"));
    }

    [Test]
    public void The_escaped_packet_decodes_to_the_same_arguments()
    {
        const string text = "2/chat,17[\"m\",{\"name\":\"Zoë\",\"text\":\"€ → ✓\"}]";
        var escaped = AsciiPacketText.Escape(text);
        Assert.That(escaped.All(char.IsAscii), Is.True);

        var original = new SocketPacketDecoder(SocketIoVersion.V4).Decode(text)!;
        var decoded = new SocketPacketDecoder(SocketIoVersion.V4).Decode(escaped)!;
        Assert.That(decoded.Namespace, Is.EqualTo("/chat"));
        Assert.That(decoded.AckId, Is.EqualTo(17));
        Assert.That(JToken.DeepEquals(decoded.Data, original.Data), Is.True);
    }

    [Test]
    public void A_non_ascii_namespace_is_left_alone()
    {
        Assert.That(AsciiPacketText.Escape("2/café,[\"m\",\"é\"]"), Is.EqualTo("2/café,[\"m\",\"\\u00e9\"]"));
    }
}
