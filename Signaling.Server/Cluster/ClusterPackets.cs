using System.Globalization;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;
using Signaling.Protocol.SocketIo;
using Signaling.Server.SocketIo;
using Signaling.Server.SocketIo.Recovery;
using Wire = Signaling.Protocol.Cluster;

namespace Signaling.Server.Cluster;

/// <summary>
/// Packets between this node and the cluster wire: an event relayed as text goes on the wire, and one
/// heard from another node comes off it, without a token tree whenever it can (see
/// <see cref="Wire.ClusterPacket"/>).
/// <para>
/// With them go recovery offsets across the cluster. A broadcast our node publishes carries its offset in its
/// options (<c>opts.offset</c>, a decimal string; Node nodes ignore keys they do not know), so that
/// every node gives the event the same offset and a socket moving between nodes can tell an event
/// it heard twice. Events of Node nodes and the emitter get an offset of the node that delivers them.
/// </para>
/// </summary>
internal static class ClusterPackets
{
    /// <summary>The broadcast's options on the wire, with the packet's offset when it has one.</summary>
    public static Wire.BroadcastOptions WithOffset(Wire.BroadcastOptions options, OutboundPacket packet) =>
        packet.Offset is { } offset ? options.WithOffset(offset.ToString(CultureInfo.InvariantCulture)) : options;

    /// <summary>An event another node broadcast, to deliver here: with its sender's offset, or a new one of this node.</summary>
    public static OutboundPacket Received(SocketIoNamespace nsp, Wire.ClusterPacket packet, Wire.BroadcastOptions options)
    {
        long? offset = null;
        var mayRepeat = false;
        if (nsp.Recovery is { } recovery)
        {
            long sent = 0;
            mayRepeat = options.Offset is { } text && RecoveryOffset.TryParse(text, out sent);
            offset = mayRepeat ? sent : recovery.NextOffset();
        }
        // Straight from its MessagePack when it can be; through a tree for binary and the like.
        return packet.TryEventText(nsp.Name) is { } eventText
            ? new OutboundPacket(eventText) { Offset = offset, MayRepeat = mayRepeat }
            : new OutboundPacket(new SocketPacket { Type = SocketPacketType.Event, Namespace = nsp.Name, Data = packet.Data }) { Offset = offset, MayRepeat = mayRepeat };
    }

    /// <summary>
    /// A packet this node broadcasts, as the classic wire carries it: an event written as text goes
    /// straight to MessagePack, or through a tree when it holds what only a tree handles.
    /// </summary>
    public static Wire.ClusterPacket ToCluster(SocketIoNamespace nsp, OutboundPacket packet, string? wireNamespace)
    {
        if (packet.EventText is not { } text)
        {
            return new Wire.ClusterPacket(Data(nsp, packet), wireNamespace);
        }
        var limits = nsp.Server.DecodeLimits;
        // The JSON array follows the type digit and, outside "/", the namespace and its comma.
        var payloadStart = text.Length > 1 && text[1] == '/' ? text.IndexOf(',', StringComparison.Ordinal) + 1 : 1;
        var data = EncodingBuffer.Rent();
        if (JsonNotepack.TryWrite(text, payloadStart, limits.MaxJsonDepth, data))
        {
            return new Wire.ClusterPacket(EncodingBuffer.CopyAndReturn(data), wireNamespace, limits.MaxJsonDepth);
        }
        EncodingBuffer.Return(data);
        return new Wire.ClusterPacket(Data(nsp, packet), wireNamespace);
    }

    /// <summary>The packet's event name and arguments as a tree (an event written as text is parsed).</summary>
    public static JArray Data(SocketIoNamespace nsp, OutboundPacket packet) => packet.EventText is { } text
        ? (JArray)new SocketPacketDecoder(SocketIoVersion.V5, nsp.Server.DecodeLimits).Decode(text)!.Data!
        : (JArray)packet.Packet!.Data!;

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
