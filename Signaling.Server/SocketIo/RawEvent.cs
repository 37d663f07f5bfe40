using Signaling.Protocol.EngineIo;
using Signaling.Protocol.SocketIo;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.SocketIo;

/// <summary>
/// An event handed to a raw handler (<see cref="SocketIoNamespace.OnRawEvent"/>) as the client
/// encoded it: validated, but not parsed into JSON trees, so it can be forwarded with only its
/// first argument replaced — the relay's hot path.
/// </summary>
public sealed class RawEvent
{
    private readonly string _text;
    private readonly IReadOnlyList<ReadOnlyMemory<byte>> _attachments;
    private int _acked;

    internal RawEvent(SocketIoSocket socket, string text, SocketEventSplice packet, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        Socket = socket;
        Packet = packet;
        _text = text;
        _attachments = attachments;
    }

    /// <summary>The socket that sent it.</summary>
    public SocketIoSocket Socket { get; }

    /// <summary>The event as sent: its name, its first argument, its ack id.</summary>
    public SocketEventSplice Packet { get; }

    /// <summary>Whether the sender asked for an acknowledgement.</summary>
    public bool WantsAck => Packet.AckId.HasValue;

    /// <summary>
    /// Sends the event to <paramref name="target"/> with the first argument replaced by the
    /// sender's id and everything else, binary attachments included, exactly as received.
    /// </summary>
    public void ForwardTo(SocketIoSocket target)
    {
        // A socket that may recover gets the event's offset as a last argument, in the same splice.
        var offset = target.NextOffset();
        var forwarded = offset is { } value ? Packet.WithSender(Socket.Id, value) : Packet.WithSender(Socket.Id);
        var text = EnginePacket.Message(target.ProtocolVersion == SocketIoVersion.V4 ? AsciiPacketText.Escape(forwarded) : forwarded);
        ThreadCounts.Current.EventsSent++;
        if (_attachments.Count == 0)
        {
            target.SendFrame(text, offset);
            return;
        }
        var frames = new EnginePacket[1 + _attachments.Count];
        frames[0] = text;
        for (var i = 0; i < _attachments.Count; i++)
        {
            frames[i + 1] = EnginePacket.BinaryMessage(_attachments[i]);
        }
        target.SendFrames(frames, offset);
    }

    /// <summary>
    /// Sends the event, with the first argument replaced by the sender's id, to the sockets
    /// <paramref name="targets"/> selects on every node: as received, unless it has binary attachments,
    /// which go through a parse.
    /// </summary>
    public void ForwardTo(BroadcastOperator targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (_attachments.Count == 0)
        {
            targets.EmitEventText(Packet.WithSender(Socket.Id));
            return;
        }
        var parsed = Parse();
        targets.Emit(parsed.Name, [Socket.Id, .. parsed.Args.Skip(1)]);
    }

    /// <summary>Answers the client's callback; only the first call counts.</summary>
    public void Ack(params object?[] args) => Socket.SendAckOnce(Packet.AckId, ref _acked, args);

    /// <summary>The same event parsed into JSON, for the rare path that needs its arguments.</summary>
    /// <exception cref="Protocol.ProtocolException">The payload holds what a JSON tree cannot (see <see cref="SocketEventSplice"/>).</exception>
    public SocketEvent Parse()
    {
        var decoder = new SocketPacketDecoder(Socket.ProtocolVersion, Socket.Namespace.Server.DecodeLimits);
        var packet = decoder.Decode(_text);
        foreach (var attachment in _attachments)
        {
            packet = decoder.AddAttachment(attachment);
        }
        return Socket.ToEvent(packet!);
    }
}
