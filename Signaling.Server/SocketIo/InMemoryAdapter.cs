namespace Signaling.Server.SocketIo;

/// <summary>Rooms of one namespace in this process, behind one lock: room changes are rare next to emits.</summary>
public sealed class InMemoryAdapter(SocketIoNamespace nsp) : ISocketIoAdapter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _roomsOf = new(StringComparer.Ordinal);

    public void Join(string socketId, string room)
    {
        lock (_gate)
        {
            Members(_rooms, room).Add(socketId);
            Members(_roomsOf, socketId).Add(room);
        }
    }

    public void Leave(string socketId, string room)
    {
        lock (_gate)
        {
            Remove(_rooms, room, socketId);
            Remove(_roomsOf, socketId, room);
        }
    }

    public void LeaveAll(string socketId)
    {
        lock (_gate)
        {
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
            return _roomsOf.TryGetValue(socketId, out var rooms) ? [.. rooms] : [];
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
                if (_rooms.TryGetValue(room, out var members))
                {
                    excluded.UnionWith(members);
                }
            }
            IEnumerable<string> candidates = rooms.Count == 0
                ? _roomsOf.Keys
                : rooms.SelectMany(room => _rooms.TryGetValue(room, out var members) ? members : []).Distinct();
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
