namespace Signaling.Server.SocketIo;

/// <summary>
/// Which sockets an operation reaches: those in any of <see cref="Rooms"/> (every socket when
/// empty) that are in none of <see cref="Except"/>, with the operation's flags.
/// </summary>
public sealed record BroadcastOptions(IReadOnlySet<string> Rooms, IReadOnlySet<string> Except, BroadcastFlags Flags = default)
{
    /// <summary>Every socket of the namespace.</summary>
    public static BroadcastOptions All { get; } = new(RoomSets.None, RoomSets.None);

    /// <summary>The one socket of that id (every socket is in the room of its own id).</summary>
    public static BroadcastOptions Socket(string id) => new(RoomSets.With(RoomSets.None, id), RoomSets.None);
}
