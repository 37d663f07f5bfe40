namespace Signaling.Server.SocketIo;

/// <summary>
/// Where a namespace keeps its rooms and how it reaches their sockets: the seam between one
/// process (<see cref="InMemoryAdapter"/>) and many (a shared bus, later).
/// </summary>
public interface ISocketIoAdapter
{
    void Join(string socketId, string room);

    void Leave(string socketId, string room);

    /// <summary>Takes the socket out of every room.</summary>
    void LeaveAll(string socketId);

    IReadOnlyCollection<string> RoomsOf(string socketId);

    /// <summary>
    /// Sends one packet to the sockets in any of <paramref name="rooms"/> (every socket when
    /// empty) that are in none of <paramref name="except"/>.
    /// </summary>
    void Broadcast(OutboundPacket packet, IReadOnlySet<string> rooms, IReadOnlySet<string> except);
}
