using System.Buffers;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// A broadcast of the classic adapter or the emitter, published on <see cref="ClassicChannels.BroadcastChannel"/>:
/// the notepack array <c>[uid, {type: 2, data, nsp}, {rooms, except, flags}]</c>. The emitter's uid is
/// <c>"emitter"</c> and its opts come in the order rooms, flags, except; receivers read any order.
/// </summary>
internal sealed class ClassicBroadcast
{
    public const string EmitterUid = "emitter";

    public ClassicBroadcast(string uid, ClusterPacket packet, BroadcastOptions options)
    {
        Uid = uid;
        Packet = packet;
        Options = options;
    }

    public string Uid { get; }

    public ClusterPacket Packet { get; }

    public BroadcastOptions Options { get; }

    /// <summary>The message bytes, as a Node node publishes them (the packet's namespace written as given).</summary>
    public byte[] Encode()
    {
        ArrayBufferWriter<byte> output = EncodingBuffer.Rent();
        Encode(output);
        return EncodingBuffer.CopyAndReturn(output);
    }

    /// <inheritdoc cref="Encode()"/>
    public void Encode(IBufferWriter<byte> output)
    {
        // Written field by field: this is every cross-node relay's cost, no envelope tokens are built.
        var writer = new MsgPackWriter(output);
        writer.WriteArrayHeader(3);
        writer.WriteString(Uid);
        writer.WriteMapHeader(Packet.Namespace is null ? 2 : 3);
        writer.WriteString("type");
        writer.WriteInteger(Packet.Type);
        writer.WriteString("data");
        if (Packet.EncodedData is { } data)
        {
            writer.WriteEncoded(data.Span);
        }
        else
        {
            NotepackEncoder.Write(writer, Packet.Data);
        }
        if (Packet.Namespace is not null)
        {
            writer.WriteString("nsp");
            writer.WriteString(Packet.Namespace);
        }

        writer.WriteMapHeader(3);
        writer.WriteString("rooms");
        WriteRooms(writer, Options.Rooms);
        writer.WriteString("except");
        WriteRooms(writer, Options.Except);
        writer.WriteString("flags");
        NotepackEncoder.Write(writer, Options.Flags);
    }

    /// <summary>
    /// Reads a broadcast; a packet without nsp is in <c>/</c>, as Node reads it. The caller still drops
    /// its own uid's messages and those of other namespaces.
    /// </summary>
    /// <remarks>
    /// The usual shape (a string uid, a string nsp, string rooms) is read field by field and the data kept
    /// as MessagePack (<see cref="ClusterPacket.EncodedData"/>); anything else goes through a token tree.
    /// </remarks>
    /// <exception cref="ProtocolException">Not a classic broadcast.</exception>
    public static ClassicBroadcast Decode(ReadOnlyMemory<byte> message, int maxDepth = NotepackDecoder.DefaultMaxDepth) =>
        ClassicBroadcastReader.TryRead(message, maxDepth) ?? DecodeTree(message.Span, maxDepth);

    private static ClassicBroadcast DecodeTree(ReadOnlySpan<byte> message, int maxDepth)
    {
        if (NotepackDecoder.Decode(message, maxDepth) is not JArray { Count: >= 3 } array)
        {
            throw new ProtocolException("Classic broadcast is not a [uid, packet, opts] array");
        }

        ClusterPacket packet = ClusterPacket.FromJson(array[1]);
        return new ClassicBroadcast(
            ClusterPayload.OptionalString(array[0], "uid") ?? "",
            packet.Namespace is null ? new ClusterPacket(packet.Data, "/", packet.Type) : packet,
            BroadcastOptions.FromJson(array[2]));
    }

    private static void WriteRooms(MsgPackWriter writer, IReadOnlyList<string> rooms)
    {
        writer.WriteArrayHeader(rooms.Count);
        foreach (string room in rooms)
        {
            writer.WriteString(room);
        }
    }
}
