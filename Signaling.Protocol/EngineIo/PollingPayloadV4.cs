using System.Text;

namespace Signaling.Protocol.EngineIo;

/// <summary>
/// The Engine.IO v4 HTTP long-polling payload: packets in their text form joined by the record
/// separator <c>\x1e</c>; binary messages as <c>b</c>+base64.
/// </summary>
public static class PollingPayloadV4
{
    /// <summary>Between two packets of a payload (the record separator).</summary>
    public const char Separator = '\x1e';

    /// <summary>Decodes every packet of a payload; any malformed packet rejects the whole payload.</summary>
    public static IReadOnlyList<EnginePacket> Decode(string payload)
    {
        if (payload.Length == 0)
        {
            throw new ProtocolException("Empty Engine.IO v4 polling payload.");
        }

        var packets = new List<EnginePacket>();
        var rest = payload.AsSpan();
        while (true)
        {
            var end = rest.IndexOf(Separator);
            var encoded = end < 0 ? rest : rest[..end];
            if (encoded.IsEmpty)
            {
                throw new ProtocolException($"Empty packet at index {packets.Count} of an Engine.IO v4 polling payload.");
            }

            packets.Add(EnginePacketCodec.DecodeText(encoded, EngineIoVersion.V4));
            if (end < 0)
            {
                return packets;
            }

            rest = rest[(end + 1)..];
        }
    }

    /// <summary>One polling response body: the packets, binary ones base64-encoded, separated by <see cref="Separator"/>.</summary>
    public static string Encode(IReadOnlyList<EnginePacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        if (packets.Count == 1)
        {
            return EnginePacketCodec.EncodeText(packets[0], EngineIoVersion.V4);
        }

        var builder = new StringBuilder();
        for (var i = 0; i < packets.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(Separator);
            }

            builder.Append(EnginePacketCodec.EncodeText(packets[i], EngineIoVersion.V4));
        }

        return builder.ToString();
    }
}
