using System.Collections.Immutable;

namespace Signaling.Server.SocketIo;

/// <summary>
/// Which sockets an operation reaches: those in any of <see cref="Rooms"/> (every socket when
/// empty) that are in none of <see cref="Except"/>, with the operation's flags.
/// </summary>
public sealed record BroadcastOptions(IReadOnlySet<string> Rooms, IReadOnlySet<string> Except, BroadcastFlags Flags = default)
{
    /// <summary>Every socket of the namespace.</summary>
    public static BroadcastOptions All { get; } = new(ImmutableHashSet<string>.Empty, ImmutableHashSet<string>.Empty);

    /// <summary>The one socket of that id (every socket is in the room of its own id).</summary>
    public static BroadcastOptions Socket(string id) => new(ImmutableHashSet.Create(StringComparer.Ordinal, id), ImmutableHashSet<string>.Empty);
}
