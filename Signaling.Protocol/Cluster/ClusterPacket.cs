using System.Text;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// The Socket.IO packet a broadcast carries: <c>{type, data, nsp?}</c>. <see cref="Type"/> is 2 (EVENT) even
/// with binary inside <see cref="Data"/> (Buffers stay where they are, as Bytes values; the receiving node's
/// encoder makes it a BINARY_EVENT). The classic adapter and the emitter set <see cref="Namespace"/>; the
/// ClusterAdapter (sharded) leaves it out, its envelope names the namespace.
/// </summary>
/// <remarks>
/// The data may be held as the MessagePack it travels as (<see cref="EncodedData"/>): a relayed event is
/// written so from its JSON, and a broadcast read off the wire keeps it so until a tree is asked for, so
/// that an event crossing nodes needs no token tree on either side (see <see cref="TryEventText"/>).
/// </remarks>
internal sealed class ClusterPacket
{
    public const int EventType = 2;

    private readonly int _levels;
    private JArray? _data;

    public ClusterPacket(JArray data, string? nsp, int type = EventType)
    {
        _data = data;
        Namespace = nsp;
        Type = type;
    }

    /// <param name="encodedData">The data array as notepack writes it.</param>
    /// <param name="nsp">The namespace, when the wire names it here.</param>
    /// <param name="levels">How many arrays and maps deep the data may nest when it is decoded.</param>
    /// <param name="type">The packet type.</param>
    public ClusterPacket(ReadOnlyMemory<byte> encodedData, string? nsp, int levels, int type = EventType)
    {
        EncodedData = encodedData;
        Namespace = nsp;
        Type = type;
        _levels = levels;
    }

    public int Type { get; }

    /// <summary>The event name and its arguments (decoded from <see cref="EncodedData"/> on first use).</summary>
    /// <exception cref="ProtocolException">The encoded data is not a MessagePack array.</exception>
    public JArray Data => _data ??= NotepackDecoder.Decode(EncodedData!.Value.Span, _levels) as JArray
        ?? throw new ProtocolException("Cluster packet has no data array");

    /// <summary>The data as MessagePack, when the packet was made from it.</summary>
    public ReadOnlyMemory<byte>? EncodedData { get; }

    public string? Namespace { get; }

    /// <summary>
    /// The EVENT packet's text in <paramref name="nsp"/> (protocol v5, as the Socket.IO encoder writes it for
    /// <see cref="Data"/>), straight from <see cref="EncodedData"/>; null when only the tree can say (binary,
    /// dates, odd keys...) or the packet holds no encoded data.
    /// </summary>
    public string? TryEventText(string nsp)
    {
        if (EncodedData is not { } encoded || encoded.Length == 0 || !IsArray(encoded.Span[0]))
        {
            return null;
        }

        StringBuilder text = StringBuilderCache.Rent();
        try
        {
            text.Append('2');
            if (nsp != "/")
            {
                text.Append(nsp).Append(',');
            }

            using var writer = new StringWriter(text, System.Globalization.CultureInfo.InvariantCulture);
            return NotepackJson.TryWrite(encoded.Span, _levels, writer) ? text.ToString() : null;
        }
        finally
        {
            StringBuilderCache.Return(text);
        }
    }

    internal JObject ToJson()
    {
        var packet = new JObject { ["type"] = Type, ["data"] = Data };
        if (Namespace is not null)
        {
            packet["nsp"] = Namespace;
        }

        return packet;
    }

    internal static ClusterPacket FromJson(JToken? token)
    {
        JObject packet = ClusterPayload.RequireObject(token, "packet");
        return new ClusterPacket(
            packet["data"] as JArray ?? throw new ProtocolException("Cluster packet has no data array"),
            ClusterPayload.OptionalString(packet["nsp"], "packet.nsp"),
            ClusterPayload.RequireInt(packet["type"], "packet.type"));
    }

    private static bool IsArray(byte prefix) => prefix is (>= 0x90 and <= 0x9f) or 0xdc or 0xdd;
}
