using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Server.SocketIo;

/// <summary>
/// Rooms of one namespace in this process, behind one lock: room changes are rare next to emits.
/// Every operation reaches this node's sockets only; a cluster adapter keeps one of these for
/// its local part and adds the other nodes.
/// </summary>
/// <remarks>
/// Every socket is in the room named by its id from the start. Those memberships are kept in one
/// set instead of as two one-element sets per socket (room to members, socket to rooms), which were
/// about 400 bytes of every idle connection; the two indexes hold the other rooms only.
/// </remarks>
/// <param name="nsp">The namespace whose sockets these are.</param>
/// <param name="roomCreated">
/// Called (outside the lock) when a room gets its first member, with whether it is a socket's own id room: a sharded
/// cluster subscribes to it (its own rooms too in dynamic-private mode).
/// </param>
/// <param name="roomDeleted">Called when a room loses its last member (a socket's own room: when the socket leaves it).</param>
internal sealed class InMemoryAdapter(SocketIoNamespace nsp, Action<string, bool>? roomCreated = null, Action<string, bool>? roomDeleted = null) : ISocketIoAdapter
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _inOwnRoom = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _roomsOf = new(StringComparer.Ordinal);

    public void Join(string socketId, string room)
    {
        bool created;
        var own = room == socketId;
        lock (_gate)
        {
            if (own)
            {
                created = _inOwnRoom.Add(socketId);
            }
            else
            {
                created = !_rooms.ContainsKey(room);
                Members(_rooms, room).Add(socketId);
                Members(_roomsOf, socketId).Add(room);
            }
        }
        if (created)
        {
            roomCreated?.Invoke(room, own);
        }
    }

    public void Leave(string socketId, string room)
    {
        bool deleted;
        var own = room == socketId;
        lock (_gate)
        {
            if (own)
            {
                deleted = _inOwnRoom.Remove(socketId);
            }
            else
            {
                deleted = Remove(_rooms, room, socketId);
                Remove(_roomsOf, socketId, room);
            }
        }
        if (deleted)
        {
            roomDeleted?.Invoke(room, own);
        }
    }

    public void LeaveAll(string socketId)
    {
        List<string>? deleted = null;
        bool ownDeleted;
        lock (_gate)
        {
            ownDeleted = _inOwnRoom.Remove(socketId);
            if (_roomsOf.Remove(socketId, out var rooms))
            {
                foreach (var room in rooms)
                {
                    if (Remove(_rooms, room, socketId) && roomDeleted is not null)
                    {
                        (deleted ??= []).Add(room);
                    }
                }
            }
        }
        if (ownDeleted)
        {
            roomDeleted?.Invoke(socketId, true);
        }
        foreach (var room in deleted ?? [])
        {
            roomDeleted!(room, false);
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

    public Task InitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Broadcast(OutboundPacket packet, BroadcastOptions options)
    {
        foreach (var socket in LocalSockets(options))
        {
            socket.Send(packet);
        }
    }

    public void BroadcastWithAck(JArray data, BroadcastOptions options, Action<int> onClientCount, Action<JToken> onAck) =>
        onClientCount(BroadcastWithAckLocally(data, options, onAck));

    /// <summary>Sends the event, encoded once with one ack id, to this node's matching sockets; returns how many.</summary>
    public int BroadcastWithAckLocally(JArray data, BroadcastOptions options, Action<JToken> onAck)
    {
        var timeout = options.Flags.Timeout ?? throw new ArgumentException("A broadcast with acks needs a timeout.", nameof(options));
        var id = nsp.NextAckId();
        var packet = new OutboundPacket(new SocketPacket { Type = SocketPacketType.Event, Namespace = nsp.Name, AckId = id, Data = data });
        var recipients = LocalSockets(options);
        foreach (var socket in recipients)
        {
            _ = ForwardAckAsync(socket, packet, id, timeout, onAck);
        }
        return recipients.Count;
    }

    public Task<int> ServerCountAsync(CancellationToken cancellationToken = default) => Task.FromResult(1);

    public Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlySet<string>>(LocalRooms());

    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RemoteSocket>>([.. LocalSockets(options).Select(RemoteSocket.Of)]);

    public Task AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        AddSocketsLocally(options, rooms);
        return Task.CompletedTask;
    }

    public Task DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        DelSocketsLocally(options, rooms);
        return Task.CompletedTask;
    }

    public Task DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        DisconnectSocketsLocally(options, close);
        return Task.CompletedTask;
    }

    /// <summary>No other node to hear it.</summary>
    public void ServerSideEmit(JArray data)
    {
    }

    public Task<IReadOnlyList<JToken>> ServerSideEmitWithAckAsync(JArray data, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<JToken>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void AddSocketsLocally(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var socket in LocalSockets(options))
        {
            foreach (var room in rooms)
            {
                socket.Join(room);
            }
        }
    }

    public void DelSocketsLocally(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        foreach (var socket in LocalSockets(options))
        {
            foreach (var room in rooms)
            {
                socket.Leave(room);
            }
        }
    }

    public void DisconnectSocketsLocally(BroadcastOptions options, bool close)
    {
        foreach (var socket in LocalSockets(options))
        {
            socket.Disconnect(close);
        }
    }

    /// <summary>This node's rooms, socket id rooms included.</summary>
    public HashSet<string> LocalRooms()
    {
        lock (_gate)
        {
            var rooms = new HashSet<string>(_inOwnRoom, StringComparer.Ordinal);
            rooms.UnionWith(_rooms.Keys);
            return rooms;
        }
    }

    /// <summary>Whether any socket of this node is in <paramref name="room"/>.</summary>
    public bool HasRoom(string room)
    {
        lock (_gate)
        {
            return _inOwnRoom.Contains(room) || _rooms.ContainsKey(room);
        }
    }

    /// <summary>This node's sockets that <paramref name="options"/> selects, as they are now.</summary>
    public List<SocketIoSocket> LocalSockets(BroadcastOptions options)
    {
        var (rooms, except) = (options.Rooms, options.Except);
        var recipients = new List<SocketIoSocket>();
        if (except.Count == 0 && RoomSets.Single(rooms) is { } onlyRoom)
        {
            AddMembers(onlyRoom, recipients);
            return recipients;
        }
        var excluded = new HashSet<string>(StringComparer.Ordinal);
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

    private static async Task ForwardAckAsync(SocketIoSocket socket, OutboundPacket packet, int id, TimeSpan timeout, Action<JToken> onAck)
    {
        try
        {
            var args = await socket.SendWithAckAsync(packet, id, timeout, CancellationToken.None).ConfigureAwait(false);
            onAck(args.Count > 0 ? args[0] : JValue.CreateNull());
        }
        catch (Exception error) when (error is TimeoutException or IOException)
        {
            // No answer in time, or the socket left: the broadcast's waiter counts it as missing.
        }
    }

    /// <summary>The sockets of one room, the relay's case: no set to leave out duplicates is needed.</summary>
    private void AddMembers(string room, List<SocketIoSocket> recipients)
    {
        lock (_gate)
        {
            var ownRoom = _inOwnRoom.Contains(room);
            if (ownRoom && nsp.TryGetSocket(room, out var owner))
            {
                recipients.Add(owner);
            }
            if (_rooms.TryGetValue(room, out var members))
            {
                foreach (var id in members)
                {
                    if ((!ownRoom || id != room) && nsp.TryGetSocket(id, out var socket))
                    {
                        recipients.Add(socket);
                    }
                }
            }
        }
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

    /// <summary>Removes <paramref name="value"/> from <paramref name="key"/>'s set; true when that emptied it.</summary>
    private static bool Remove(Dictionary<string, HashSet<string>> index, string key, string value)
    {
        if (index.TryGetValue(key, out var set) && set.Remove(value) && set.Count == 0)
        {
            index.Remove(key);
            return true;
        }
        return false;
    }
}
