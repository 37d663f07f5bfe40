using Newtonsoft.Json.Linq;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// The Socket.IO packet a broadcast carries: <c>{type, data, nsp?}</c>. <see cref="Type"/> is 2 (EVENT) even
/// with binary inside <see cref="Data"/> (Buffers stay where they are, as Bytes values; the receiving node's
/// encoder makes it a BINARY_EVENT). The classic adapter and the emitter set <see cref="Namespace"/>; the
/// ClusterAdapter (sharded) leaves it out, its envelope names the namespace.
/// </summary>
internal sealed class ClusterPacket
{
    public const int EventType = 2;

    public ClusterPacket(JArray data, string? nsp, int type = EventType)
    {
        Data = data;
        Namespace = nsp;
        Type = type;
    }

    public int Type { get; }

    /// <summary>The event name and its arguments.</summary>
    public JArray Data { get; }

    public string? Namespace { get; }

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
}
