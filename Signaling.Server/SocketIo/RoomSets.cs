using System.Collections;
using System.Collections.Immutable;

namespace Signaling.Server.SocketIo;

/// <summary>
/// The room sets of broadcasts: none, one, or more. One room is the relay's case (a socket's id room, on
/// every message relayed to another node, on both nodes), so it is held without a hash set, and
/// <see cref="Single"/> and <see cref="ToList"/> read it without an enumerator.
/// </summary>
internal static class RoomSets
{
    public static IReadOnlySet<string> None => ImmutableHashSet<string>.Empty;

    public static IReadOnlySet<string> Of(IReadOnlyList<string> rooms) => rooms.Count switch
    {
        0 => None,
        1 => new OneRoom(rooms[0]),
        _ => rooms.ToImmutableHashSet(StringComparer.Ordinal),
    };

    public static IReadOnlySet<string> With(IReadOnlySet<string> rooms, string room) => rooms.Count == 0
        ? new OneRoom(room)
        : (rooms as ImmutableHashSet<string> ?? rooms.ToImmutableHashSet(StringComparer.Ordinal)).Add(room);

    /// <summary>The set's room when it holds exactly one.</summary>
    public static string? Single(IReadOnlySet<string> rooms) => rooms switch
    {
        OneRoom one => one.Room,
        { Count: 1 } => rooms.First(),
        _ => null,
    };

    public static IReadOnlyList<string> ToList(IReadOnlySet<string> rooms) => rooms switch
    {
        { Count: 0 } => [],
        OneRoom one => [one.Room],
        _ => [.. rooms],
    };

    private sealed class OneRoom(string room) : IReadOnlySet<string>
    {
        public string Room => room;

        public int Count => 1;

        public bool Contains(string item) => string.Equals(item, room, StringComparison.Ordinal);

        public IEnumerator<string> GetEnumerator()
        {
            yield return room;
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        // Set relations are never on a hot path: answered by a real set.
        public bool IsProperSubsetOf(IEnumerable<string> other) => AsSet().IsProperSubsetOf(other);

        public bool IsProperSupersetOf(IEnumerable<string> other) => AsSet().IsProperSupersetOf(other);

        public bool IsSubsetOf(IEnumerable<string> other) => AsSet().IsSubsetOf(other);

        public bool IsSupersetOf(IEnumerable<string> other) => AsSet().IsSupersetOf(other);

        public bool Overlaps(IEnumerable<string> other) => AsSet().Overlaps(other);

        public bool SetEquals(IEnumerable<string> other) => AsSet().SetEquals(other);

        private HashSet<string> AsSet() => new(StringComparer.Ordinal) { room };
    }
}
