using System.Collections.Immutable;
using Signaling.Protocol.SocketIo;

namespace Signaling.Server.SocketIo;

/// <summary>An emit to a chosen set of a namespace's sockets: <c>io.to(room).except(other).emit(...)</c>.</summary>
public sealed class BroadcastOperator
{
    private readonly SocketIoNamespace _namespace;
    private readonly ImmutableHashSet<string> _rooms;
    private readonly ImmutableHashSet<string> _except;

    internal BroadcastOperator(SocketIoNamespace nsp)
        : this(nsp, ImmutableHashSet.Create<string>(StringComparer.Ordinal), ImmutableHashSet.Create<string>(StringComparer.Ordinal))
    {
    }

    private BroadcastOperator(SocketIoNamespace nsp, ImmutableHashSet<string> rooms, ImmutableHashSet<string> except)
    {
        _namespace = nsp;
        _rooms = rooms;
        _except = except;
    }

    /// <summary>Narrows the emit to sockets in <paramref name="room"/> (several calls: in any of them).</summary>
    public BroadcastOperator To(string room) => new(_namespace, _rooms.Add(room), _except);

    public BroadcastOperator Except(string room) => new(_namespace, _rooms, _except.Add(room));

    /// <summary>Encodes once and hands the same frames to every recipient.</summary>
    public void Emit(string eventName, params object?[] args) => _namespace.Adapter.Broadcast(
        new OutboundPacket(new SocketPacket
        {
            Type = SocketPacketType.Event,
            Namespace = _namespace.Name,
            Data = JsonArguments.From(eventName, args),
        })
        { Offset = _namespace.Recovery?.NextOffset() },
        _rooms,
        _except);
}
