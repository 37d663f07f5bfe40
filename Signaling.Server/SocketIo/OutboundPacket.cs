using Signaling.Protocol.EngineIo;
using Signaling.Protocol.SocketIo;

namespace Signaling.Server.SocketIo;

/// <summary>
/// A Socket.IO packet on its way out, encoded at most once per protocol version: a broadcast
/// hands the very same Engine.IO packets (text plus binary attachments) to every recipient.
/// </summary>
internal sealed class OutboundPacket
{
    private IReadOnlyList<EnginePacket>? _v4;
    private IReadOnlyList<EnginePacket>? _v5;
    private IReadOnlyList<EnginePacket>? _v5WithOffset;

    public OutboundPacket(SocketPacket packet)
    {
        Packet = packet;
    }

    /// <summary>
    /// An EVENT already written, with no attachments, as protocol v5 text (which v4 shares): a relayed
    /// event, or one heard from another node. It is sent as it is, never parsed.
    /// </summary>
    public OutboundPacket(string eventText)
    {
        EventText = eventText;
    }

    /// <summary>The packet, unless it was made from <see cref="EventText"/>.</summary>
    public SocketPacket? Packet { get; }

    public string? EventText { get; }

    public bool IsEvent => EventText is not null || Packet!.Type is SocketPacketType.Event or SocketPacketType.BinaryEvent;

    /// <summary>The recovery offset of an event of a namespace with recovery (see <see cref="ForRecovering"/>).</summary>
    internal long? Offset { get; init; }

    /// <summary>
    /// An event heard from another node, with the offset its sender gave it: while a session moves
    /// between nodes both may pass it on, and a socket that has it already drops the second.
    /// </summary>
    internal bool MayRepeat { get; init; }

    public IReadOnlyList<EnginePacket> For(SocketIoVersion version) => version == SocketIoVersion.V4
        ? _v4 ??= Encode(SocketIoVersion.V4)
        : _v5 ??= Encode(SocketIoVersion.V5);

    /// <summary>
    /// The protocol v5 frames with <see cref="Offset"/> appended as the event's last argument, for
    /// the sockets that may recover; spliced into the text encoded once, like <see cref="For"/>.
    /// </summary>
    internal IReadOnlyList<EnginePacket> ForRecovering() => _v5WithOffset ??= WithOffset(For(SocketIoVersion.V5), Offset!.Value);

    private static EnginePacket[] WithOffset(IReadOnlyList<EnginePacket> frames, long offset)
    {
        var stamped = frames.ToArray();
        stamped[0] = EnginePacket.Message(RecoveryOffset.AppendTo(stamped[0].Text!, offset));
        return stamped;
    }

    private EnginePacket[] Encode(SocketIoVersion version)
    {
        if (EventText is { } text)
        {
            return [EnginePacket.Message(version == SocketIoVersion.V4 ? AsciiPacketText.Escape(text) : text)];
        }
        var encoded = SocketPacketEncoder.Encode(Packet!, version);
        var frames = new EnginePacket[1 + encoded.Attachments.Count];
        frames[0] = EnginePacket.Message(version == SocketIoVersion.V4 ? AsciiPacketText.Escape(encoded.Text) : encoded.Text);
        for (var i = 0; i < encoded.Attachments.Count; i++)
        {
            frames[i + 1] = EnginePacket.BinaryMessage(encoded.Attachments[i]);
        }
        return frames;
    }
}
