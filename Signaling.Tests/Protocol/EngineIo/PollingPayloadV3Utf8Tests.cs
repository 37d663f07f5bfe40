using System.Text;
using Signaling.Protocol.EngineIo;

namespace Signaling.Tests.Protocol.EngineIo;

/// <summary>
/// Socket.IO 1.x clients UTF-8-encode each packet of a text polling payload into byte-valued
/// characters; 2.x clients send the characters themselves. Both must decode to the same text.
/// </summary>
public sealed class PollingPayloadV3Utf8Tests
{
    private const string Message = "42[\"m\",\"héllo 😀 €\"]";

    private static string Payload(string packet) => $"{packet.Length}:{packet}";

    /// <summary>What engine.io-parser 1.x puts in the payload: one character per UTF-8 byte.</summary>
    private static string AsByteCharacters(string text) =>
        new(Encoding.UTF8.GetBytes(text).Select(b => (char)b).ToArray());

    [Test]
    public void A_packet_encoded_the_1x_way_is_decoded_once_more()
    {
        var packets = PollingPayloadV3.Decode(Payload(AsByteCharacters("4" + Message)));
        Assert.That(packets.Single().Text, Is.EqualTo(Message));
    }

    [Test]
    public void A_packet_sent_the_2x_way_is_taken_as_it_is()
    {
        var packets = PollingPayloadV3.Decode(Payload("4" + Message));
        Assert.That(packets.Single().Text, Is.EqualTo(Message));
    }

    [TestCase("42[\"m\",\"café\"]", TestName = "Latin-1 characters that are not valid UTF-8 stay as sent")]
    [TestCase("42[\"m\",\"Ã\"]", TestName = "A lead byte without its continuation stays as sent")]
    public void Text_that_is_not_utf8_bytes_stays_as_sent(string message)
    {
        var packets = PollingPayloadV3.Decode(Payload("4" + message));
        Assert.That(packets.Single().Text, Is.EqualTo(message));
    }

    [Test]
    public void Each_packet_of_a_payload_is_judged_on_its_own()
    {
        var oldStyle = AsByteCharacters("4" + Message);
        var newStyle = "4" + Message;
        var packets = PollingPayloadV3.Decode(Payload(oldStyle) + Payload(newStyle));
        Assert.That(packets.Select(p => p.Text), Is.EqualTo(new[] { Message, Message }));
    }

    [Test]
    public void Encoding_as_byte_characters_gives_what_a_1x_client_decodes()
    {
        var text = PollingPayloadV3.Encode([EnginePacket.Message(Message[1..])], asByteCharacters: true);
        Assert.That(text, Is.EqualTo(Payload(AsByteCharacters(Message))));
        Assert.That(PollingPayloadV3.Decode(text, out var sawByteCharacters).Single().Text, Is.EqualTo(Message[1..]));
        Assert.That(sawByteCharacters, Is.True);
    }

    [Test]
    public void Ascii_packets_are_the_same_either_way() =>
        Assert.That(PollingPayloadV3.Encode([EnginePacket.Message("2[\"m\"]")], asByteCharacters: true), Is.EqualTo("7:42[\"m\"]"));
}
