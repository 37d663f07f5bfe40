using System.Globalization;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;
using Signaling.Server.SocketIo;
using Signaling.Server.SocketIo.Recovery;
using Wire = Signaling.Protocol.Cluster;

namespace Signaling.Server.Cluster;

/// <summary>
/// Recovery offsets across the cluster. A broadcast our node publishes carries its offset in its
/// options (<c>opts.offset</c>, a decimal string; Node nodes ignore keys they do not know), so that
/// every node gives the event the same offset and a socket moving between nodes can tell an event
/// it heard twice. Events of Node nodes and the emitter get an offset of the node that delivers them.
/// </summary>
internal static class ClusterRecoveryPackets
{
    /// <summary>The broadcast's options on the wire, with the packet's offset when it has one.</summary>
    public static Wire.BroadcastOptions WithOffset(Wire.BroadcastOptions options, OutboundPacket packet) =>
        packet.Offset is { } offset ? options.WithOffset(offset.ToString(CultureInfo.InvariantCulture)) : options;

    /// <summary>An event another node broadcast, to deliver here: with its sender's offset, or a new one of this node.</summary>
    public static OutboundPacket Received(SocketIoNamespace nsp, JArray data, Wire.BroadcastOptions options)
    {
        var packet = new SocketPacket { Type = SocketPacketType.Event, Namespace = nsp.Name, Data = data };
        if (nsp.Recovery is not { } recovery)
        {
            return new OutboundPacket(packet);
        }
        return options.Offset is { } text && RecoveryOffset.TryParse(text, out var offset)
            ? new OutboundPacket(packet) { Offset = offset, MayRepeat = true }
            : new OutboundPacket(packet) { Offset = recovery.NextOffset() };
    }

    /// <summary>A kept event turned back into a broadcast (its offset taken off its arguments); null when it cannot be read.</summary>
    public static OutboundPacket? Decode(SocketIoNamespace nsp, KeptEvent kept)
    {
        try
        {
            var decoder = new SocketPacketDecoder(SocketIoVersion.V5, nsp.Server.DecodeLimits);
            var packet = decoder.Decode(kept.Frames[0].Text!);
            foreach (var attachment in kept.Frames.Skip(1))
            {
                packet = decoder.AddAttachment(attachment.Binary);
            }
            if (packet?.Data is not JArray { Count: > 1 } data)
            {
                return null;
            }
            data.RemoveAt(data.Count - 1);
            return new OutboundPacket(packet) { Offset = kept.Offset, MayRepeat = true };
        }
        catch (Protocol.ProtocolException)
        {
            return null;
        }
    }
}
