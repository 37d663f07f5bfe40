using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>Shared checks for the Socket.IO codec tests.</summary>
internal static class SocketPacketAssert
{
    /// <summary>Decodes a packet that carries no attachments, asserting that it is complete at once.</summary>
    public static SocketPacket DecodeComplete(string text, SocketIoVersion version)
    {
        var decoder = new SocketPacketDecoder(version);
        SocketPacket? packet = decoder.Decode(text);
        Assert.That(packet, Is.Not.Null, $"\"{text}\" should decode without waiting for attachments");
        Assert.That(decoder.AwaitingAttachments, Is.False);
        return packet!;
    }

    /// <summary>The bytes of a <see cref="JTokenType.Bytes"/> value, null for anything else.</summary>
    public static byte[]? Bytes(JToken? token) => token is JValue { Type: JTokenType.Bytes, Value: byte[] bytes } ? bytes : null;

    /// <summary>The text of a string value, null for anything else.</summary>
    public static string? Text(JToken? token) => token is JValue { Type: JTokenType.String, Value: string text } ? text : null;

    /// <summary>Checks every field of a packet; the payload is compared as compact JSON text.</summary>
    public static void Matches(SocketPacket packet, SocketPacketType type, string ns, int? ackId, string? dataJson, string? query = null)
    {
        Assert.Multiple(() =>
        {
            Assert.That(packet.Type, Is.EqualTo(type));
            Assert.That(packet.Namespace, Is.EqualTo(ns));
            Assert.That(packet.NamespaceQuery, Is.EqualTo(query));
            Assert.That(packet.AckId, Is.EqualTo(ackId));
            Assert.That(packet.Data?.ToString(Formatting.None), Is.EqualTo(dataJson));
        });
    }
}
