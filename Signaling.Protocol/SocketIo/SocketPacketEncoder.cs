using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo.Json;

namespace Signaling.Protocol.SocketIo;

/// <summary>
/// Encodes Socket.IO packets:
/// <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][JSON payload]</c> plus the
/// binary attachments taken out of the payload.
/// </summary>
public static class SocketPacketEncoder
{
    /// <summary>
    /// Encodes <paramref name="packet"/>. Byte arrays (<see cref="JTokenType.Bytes"/> values) anywhere in the
    /// data of an EVENT or ACK become numbered placeholders and attachments, and the packet becomes a
    /// BINARY_EVENT or BINARY_ACK; a binary type with no bytes left in it is written as plain EVENT/ACK.
    /// The namespace is written only when it is not <c>/</c>; the payload is written whatever its shape.
    /// </summary>
    /// <exception cref="ArgumentException">The packet cannot be written on the wire as it is.</exception>
    public static EncodedSocketPacket Encode(SocketPacket packet, SocketIoVersion version)
    {
        ArgumentNullException.ThrowIfNull(packet);
        Validate(packet, version);

        StringBuilder builder = StringBuilderCache.Rent();
        try
        {
            SocketPacketType type = packet.Type;
            builder.Append((char)('0' + (int)type));
            int headerEnd = builder.Length;
            if (packet.Namespace != "/" || packet.NamespaceQuery is not null)
            {
                builder.Append(packet.Namespace);
                if (packet.NamespaceQuery is not null)
                {
                    builder.Append('?').Append(packet.NamespaceQuery);
                }

                builder.Append(',');
            }

            if (packet.AckId is int ackId)
            {
                builder.Append(ackId);
            }

            List<ReadOnlyMemory<byte>>? attachments = null;
            if (packet.Data is not null)
            {
                bool mayCarryBinary = type is SocketPacketType.Event or SocketPacketType.Ack
                    or SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck;
                using var stringWriter = new StringWriter(builder, CultureInfo.InvariantCulture);
                var writer = new PayloadJsonWriter(stringWriter);
                WriteToken(writer, packet.Data, mayCarryBinary, ref attachments);
                writer.Flush();
            }

            int count = attachments?.Count ?? 0;
            SocketPacketType wireType = (type, count > 0) switch
            {
                (SocketPacketType.Event or SocketPacketType.BinaryEvent, true) => SocketPacketType.BinaryEvent,
                (SocketPacketType.Ack or SocketPacketType.BinaryAck, true) => SocketPacketType.BinaryAck,
                (SocketPacketType.BinaryEvent, false) => SocketPacketType.Event,
                (SocketPacketType.BinaryAck, false) => SocketPacketType.Ack,
                _ => type,
            };
            builder[0] = (char)('0' + (int)wireType);
            if (count > 0)
            {
                builder.Insert(headerEnd, '-').Insert(headerEnd, count);
            }

            return new EncodedSocketPacket(builder.ToString(), attachments ?? (IReadOnlyList<ReadOnlyMemory<byte>>)[]);
        }
        finally
        {
            StringBuilderCache.Return(builder);
        }
    }

    private static void Validate(SocketPacket packet, SocketIoVersion version)
    {
        if (!Enum.IsDefined(packet.Type))
        {
            throw new ArgumentException($"Unknown packet type {(int)packet.Type}", nameof(packet));
        }

        string ns = packet.Namespace;
        if (ns.Length == 0 || ns[0] != '/' || ns.Contains(','))
        {
            throw new ArgumentException($"Namespace \"{ns}\" must start with '/' and contain no ','", nameof(packet));
        }

        if (packet.NamespaceQuery is { } query
            && (version != SocketIoVersion.V4 || packet.Type != SocketPacketType.Connect || query.Contains(',')))
        {
            throw new ArgumentException(
                "A namespace query belongs only to a protocol v4 CONNECT packet and cannot contain ','", nameof(packet));
        }

        bool acknowledgeable = packet.Type is SocketPacketType.Event or SocketPacketType.BinaryEvent
            or SocketPacketType.Ack or SocketPacketType.BinaryAck;
        if (packet.AckId is int ackId && (ackId < 0 || !acknowledgeable))
        {
            throw new ArgumentException($"Ack id {ackId} is negative or not allowed on a {packet.Type} packet", nameof(packet));
        }

        if (packet.AckId is null && packet.Type is SocketPacketType.Ack or SocketPacketType.BinaryAck)
        {
            throw new ArgumentException($"A {packet.Type} packet needs an ack id", nameof(packet));
        }
    }

    private static void WriteToken(JsonWriter writer, JToken token, bool mayCarryBinary, ref List<ReadOnlyMemory<byte>>? attachments)
    {
        switch (token)
        {
            case JArray array:
                writer.WriteStartArray();
                for (JToken? item = array.First; item is not null; item = item.Next)
                {
                    WriteToken(writer, item, mayCarryBinary, ref attachments);
                }

                writer.WriteEndArray();
                break;
            case JObject obj:
                writer.WriteStartObject();
                for (var property = (JProperty?)obj.First; property is not null; property = (JProperty?)property.Next)
                {
                    writer.WritePropertyName(property.Name);
                    WriteToken(writer, property.Value, mayCarryBinary, ref attachments);
                }

                writer.WriteEndObject();
                break;
            case JValue { Type: JTokenType.Bytes, Value: byte[] bytes }:
                if (!mayCarryBinary)
                {
                    throw new ArgumentException("Only EVENT and ACK packets can carry binary data", nameof(token));
                }

                attachments ??= [];
                writer.WriteStartObject();
                writer.WritePropertyName("_placeholder");
                writer.WriteValue(true);
                writer.WritePropertyName("num");
                writer.WriteValue(attachments.Count);
                writer.WriteEndObject();
                attachments.Add(bytes);
                break;
            default:
                token.WriteTo(writer);
                break;
        }
    }
}
