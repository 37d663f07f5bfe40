namespace Signaling.Protocol.SocketIo;

/// <summary>
/// An encoded Socket.IO packet: its text, then the binary attachments its placeholders refer to,
/// each to be sent as its own Engine.IO binary message right after the text, in order.
/// </summary>
public sealed record EncodedSocketPacket(string Text, IReadOnlyList<ReadOnlyMemory<byte>> Attachments);
