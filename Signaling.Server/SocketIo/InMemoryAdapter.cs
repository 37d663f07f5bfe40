namespace Signaling.Server.SocketIo;

/// <summary>Rooms of one namespace in this process, behind one lock: room changes are rare next to emits.</summary>
/// <remarks>
/// Every socket is in the room named by its id from the start. Those memberships are kept in one
/// set instead of as two one-element sets per socket (room to members, socket to rooms), which were
/// about 400 bytes of every idle connection; the two indexes hold the other rooms only.
/// </remarks>
public sealed class InMemoryAdapter(SocketIoNamespace nsp) : ISocketIoAdapter
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _inOwnRoom = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _roomsOf = new(StringComparer.Ordinal);

    public void Join(string socketId, string room)
    {
        lock (_gate)
        {
            if (room == socketId)
            {
                _inOwnRoom.Add(socketId);
                return;
            }
            Members(_rooms, room).Add(socketId);
            Members(_roomsOf, socketId).Add(room);
        }
    }

    public void Leave(string socketId, string room)
    {
        lock (_gate)
        {
            if (room == socketId)
            {
                _inOwnRoom.Remove(socketId);
                return;
            }
            Remove(_rooms, room, socketId);
            Remove(_roomsOf, socketId, room);
        }
    }

    public void LeaveAll(string socketId)
    {
        lock (_gate)
        {
            _inOwnRoom.Remove(socketId);
            if (!_roomsOf.Remove(socketId, out var rooms))
            {
                return;
            }
            foreach (var room in rooms)
            {
                Remove(_rooms, room, socketId);
            }
        }
    }

    public IReadOnlyCollection<string> RoomsOf(string socketId)
    {
        lock (_gate)
        {
            var others = _roomsOf.TryGetValue(socketId, out var rooms) ? rooms : [];
            return _inOwnRoom.Contains(socketId) ? [socketId, .. others] : [.. others];
        }
    }

    public void Broadcast(OutboundPacket packet, IReadOnlySet<string> rooms, IReadOnlySet<string> except)
    {
        foreach (var socket in Recipients(rooms, except))
        {
            socket.Send(packet);
        }
    }

    private List<SocketIoSocket> Recipients(IReadOnlySet<string> rooms, IReadOnlySet<string> except)
    {
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        var recipients = new List<SocketIoSocket>();
        lock (_gate)
        {
            foreach (var room in except)
            {
                excluded.UnionWith(MembersOf(room));
            }
            var candidates = rooms.Count == 0
                ? _inOwnRoom.Concat(_roomsOf.Keys.Where(id => !_inOwnRoom.Contains(id)))
                : rooms.SelectMany(MembersOf).Distinct();
            foreach (var id in candidates)
            {
                if (!excluded.Contains(id) && nsp.TryGetSocket(id, out var socket))
                {
                    recipients.Add(socket);
                }
            }
        }
        return recipients;
    }

    /// <summary>The sockets in <paramref name="room"/>; under the lock.</summary>
    private IEnumerable<string> MembersOf(string room)
    {
        if (_inOwnRoom.Contains(room))
        {
            yield return room;
        }
        if (_rooms.TryGetValue(room, out var members))
        {
            foreach (var id in members)
            {
                yield return id;
            }
        }
    }

    private static HashSet<string> Members(Dictionary<string, HashSet<string>> index, string key)
    {
        if (!index.TryGetValue(key, out var set))
        {
            index[key] = set = new HashSet<string>(StringComparer.Ordinal);
        }
        return set;
    }

    private static void Remove(Dictionary<string, HashSet<string>> index, string key, string value)
    {
        if (index.TryGetValue(key, out var set) && set.Remove(value) && set.Count == 0)
        {
            index.Remove(key);
        }
    }
}
