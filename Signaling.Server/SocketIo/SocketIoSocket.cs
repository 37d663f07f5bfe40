using System.Net;
using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.EngineIo;
using Signaling.Protocol.SocketIo;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.SocketIo;

/// <summary>
/// A client's presence in one namespace: the reference's <c>socket</c>. Register handlers in
/// the namespace's connection callback; they then run one at a time, in the order the client
/// sent its packets.
/// </summary>
public sealed partial class SocketIoSocket
{
    // Usually a handful, searched in order: one small array costs an idle socket far less than a
    // dictionary did (~220 bytes). Replaced, never changed, so a lookup needs no lock.
    private (string Name, Action<SocketEvent> Handler)[] _handlers = [];
    // Created on first use: most sockets never wait for an ack nor keep data, and an idle
    // socket's size is the server's memory per connection.
    private ConcurrentDictionary<int, TaskCompletionSource<JArray>>? _pendingAcks;
    private int _state; // 0 connecting, 1 connected, 2 disconnected, 3 away (may still recover)
    // What the namespace connect carried, for the handshake made when a handler first asks for it.
    private JObject? _auth;
    private string? _namespaceQuery;
    private SocketHandshake? _handshake;

    // claimedPid: the pid of a session claimed from another node; the socket starts away, keeping what it is sent until it resumes.
    internal SocketIoSocket(string id, SocketIoNamespace nsp, SocketIoClient client, JObject? auth, string? namespaceQuery, string? claimedPid = null)
    {
        Id = id;
        Namespace = nsp;
        Client = client;
        _auth = auth;
        _namespaceQuery = namespaceQuery;
        _recovery = client.Version != SocketIoVersion.V5 || nsp.Recovery is not { } recovery ? null
            : claimedPid is null ? recovery.Track(this) : recovery.Adopt(this, claimedPid);
        _state = claimedPid is null ? 0 : 3;
    }

    /// <summary>The socket's id, also the name of its own room.</summary>
    public string Id { get; }

    /// <summary>The namespace it joined.</summary>
    public SocketIoNamespace Namespace { get; }

    /// <summary>Made on first use: most sockets are never asked, and an idle socket's size is the server's memory per connection.</summary>
    public SocketHandshake Handshake =>
        Volatile.Read(ref _handshake) ?? LazyInitializer.EnsureInitialized(ref _handshake, () => new SocketHandshake(Client.Connection.Handshake, _auth, _namespaceQuery));

    /// <summary>The Engine.IO session id under this socket.</summary>
    public string ConnectionId => Client.Connection.Id;

    /// <summary>The client's address (from a trusted proxy's headers when configured), without making <see cref="Handshake"/>.</summary>
    public IPAddress? RemoteAddress => Client.Connection.Handshake.RemoteAddress;

    /// <summary>The Socket.IO protocol the client speaks (v4: clients 1.x/2.x, v5: 3.x/4.x).</summary>
    public SocketIoVersion ProtocolVersion => Client.Version;

    /// <summary>Whether it is still connected.</summary>
    public bool Connected => Volatile.Read(ref _state) == 1;

    /// <summary>Raised once, after the socket has left its rooms, with the reason.</summary>
    public event Action<SocketIoSocket, string>? Disconnected;

    /// <summary>Replaced only when the socket recovers on a new connection.</summary>
    internal SocketIoClient Client { get; set; }

    /// <summary>
    /// Data a handler keeps with the socket (the reference's <c>socket.data</c>): a JSON value, so
    /// that a cluster can carry it to the other nodes' fetches. Replace it rather than change it.
    /// </summary>
    public JToken? Data { get; set; }

    /// <summary>The rooms it is in, its own room included.</summary>
    public IReadOnlyCollection<string> Rooms => Namespace.Adapter.RoomsOf(Id);

    /// <summary>Sets the handler of <paramref name="eventName"/>, replacing an earlier one.</summary>
    public void On(string eventName, Action<SocketEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        while (true)
        {
            var current = Volatile.Read(ref _handlers);
            var index = IndexOfHandler(current, eventName);
            (string, Action<SocketEvent>)[] changed = index < 0 ? [.. current, (eventName, handler)] : [.. current];
            if (index >= 0)
            {
                changed[index] = (eventName, handler);
            }
            if (Interlocked.CompareExchange(ref _handlers, changed, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Sends it an event with <paramref name="args"/> (any JSON-serializable values, byte arrays as binary).</summary>
    public void Emit(string eventName, params object?[] args) => Send(new OutboundPacket(EventPacket(eventName, args, null)) { Offset = NextOffset() });

    /// <summary>Emits and waits for the client's acknowledgement, or fails with <see cref="TimeoutException"/>.</summary>
    public Task<JArray> EmitWithAckAsync(string eventName, TimeSpan timeout, object?[] args, CancellationToken cancellationToken = default)
    {
        var id = Namespace.NextAckId();
        return SendWithAckAsync(new OutboundPacket(EventPacket(eventName, args, id)), id, timeout, cancellationToken);
    }

    /// <summary>
    /// Sends a packet that carries ack id <paramref name="id"/> (the namespace's ids: a broadcast
    /// sends one packet with one id to many sockets) and waits for the client's answer.
    /// </summary>
    internal async Task<JArray> SendWithAckAsync(OutboundPacket packet, int id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<JArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pendingAcks = LazyInitializer.EnsureInitialized(ref _pendingAcks, static () => new ConcurrentDictionary<int, TaskCompletionSource<JArray>>());
        pendingAcks[id] = pending;
        try
        {
            Send(packet);
            return await pending.Task.WaitAsync(timeout, Namespace.Server.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pendingAcks.TryRemove(id, out _);
        }
    }

    /// <summary>Adds the socket to <paramref name="room"/>; once the socket has ended, does nothing.</summary>
    public void Join(string room)
    {
        Namespace.Adapter.Join(Id, room);
        // Checked after joining: OnClose marks the socket ended before it leaves every room, so
        // a join that raced past that sweep sees the mark here and undoes itself.
        if (Volatile.Read(ref _state) == 2)
        {
            Namespace.Adapter.LeaveAll(Id);
        }
    }

    /// <summary>Leaves <paramref name="room"/>.</summary>
    public void Leave(string room) => Namespace.Adapter.Leave(Id, room);

    /// <summary>Emits to every socket of the namespace but this one.</summary>
    public BroadcastOperator Broadcast => new BroadcastOperator(Namespace).Except(Id);

    /// <summary>Emits to the sockets in <paramref name="room"/>, this one excepted.</summary>
    public BroadcastOperator To(string room) => Broadcast.To(room);

    /// <summary>Leaves the namespace; with <paramref name="close"/>, closes the whole connection.</summary>
    public void Disconnect(bool close = false)
    {
        if (!Connected)
        {
            EndIfAway();
            return;
        }
        Send(new SocketPacket { Type = SocketPacketType.Disconnect, Namespace = Namespace.Name });
        OnClose(DisconnectReason.ServerNamespaceDisconnect);
        if (close)
        {
            Client.Connection.Close(DisconnectReason.ForcedClose);
        }
    }

    internal void Send(SocketPacket packet) => Send(new OutboundPacket(packet));

    internal void Send(OutboundPacket packet)
    {
        if (packet.IsEvent)
        {
            ThreadCounts.Current.EventsSent++;
        }
        if (_recovery is not null && packet.Offset is { } offset)
        {
            SendFrames(packet.ForRecovering(), offset, packet.MayRepeat);
        }
        else
        {
            SendFrames(packet.For(Client.Version));
        }
    }

    /// <summary>
    /// Sends Engine.IO frames already encoded for this socket's namespace; nothing once disconnected.
    /// An event with a recovery <paramref name="offset"/> is also kept for a replay (see <see cref="NextOffset"/>).
    /// </summary>
    internal void SendFrames(IReadOnlyList<EnginePacket> frames, long? offset = null, bool mayRepeat = false)
    {
        if (Ended)
        {
            return;
        }
        if (_recovery is { } recovery)
        {
            SendThrough(recovery, default, frames, offset, mayRepeat);
            return;
        }
        Client.Connection.Send(frames);
    }

    internal void SendFrame(EnginePacket frame, long? offset = null)
    {
        if (Ended)
        {
            return;
        }
        if (_recovery is { } recovery)
        {
            SendThrough(recovery, frame, null, offset);
            return;
        }
        Client.Connection.Send(frame);
    }

    /// <summary>
    /// Answers a received event's callback: nothing when the client passed none, and only the
    /// first call per event counts (<paramref name="answered"/> is that event's flag).
    /// </summary>
    internal void SendAckOnce(int? ackId, ref int answered, object?[] args)
    {
        if (ackId is { } id && Interlocked.Exchange(ref answered, 1) == 0)
        {
            Send(new SocketPacket
            {
                Type = SocketPacketType.Ack,
                Namespace = Namespace.Name,
                AckId = id,
                Data = JsonArguments.From(null, args),
            });
        }
    }

    /// <summary>An EVENT packet as handlers see it: the name taken off the front of the arguments.</summary>
    internal SocketEvent ToEvent(SocketPacket packet)
    {
        var data = (JArray)packet.Data!;
        var name = (string)data[0]!;
        data.RemoveAt(0);
        return new SocketEvent(this, name, data, packet.AckId);
    }

    internal bool MarkConnected() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

    internal void OnPacket(SocketPacket packet)
    {
        switch (packet.Type)
        {
            case SocketPacketType.Event or SocketPacketType.BinaryEvent:
                OnEvent(packet);
                break;
            case SocketPacketType.Ack or SocketPacketType.BinaryAck:
                if (packet.AckId is { } id && Volatile.Read(ref _pendingAcks) is { } pendingAcks && pendingAcks.TryRemove(id, out var pending))
                {
                    pending.TrySetResult((JArray)packet.Data!);
                }
                break;
            case SocketPacketType.Disconnect:
                OnClose(DisconnectReason.ClientNamespaceDisconnect);
                break;
        }
    }

    /// <summary>Ends the socket once: leaves every room, forgets it, fails pending acks, tells listeners.</summary>
    internal void OnClose(string reason)
    {
        if (TrySuspend(reason) || Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }
        _recovery?.End();
        Namespace.Remove(this);
        Client.Remove(this);
        FailPendingAcks(reason);
        Namespace.Server.Log.SocketDisconnected(Id, Namespace.Name, reason);
        // Each listener on its own: one that throws must not keep the others (or, when the whole
        // connection closes, the connection's other sockets) from hearing of the end.
        foreach (var listener in Disconnected?.GetInvocationList() ?? [])
        {
            try
            {
                ((Action<SocketIoSocket, string>)listener)(this, reason);
            }
            catch (Exception error)
            {
                Namespace.Server.Log.HandlerFailed(error, "disconnect", Id);
            }
        }
    }

    private void FailPendingAcks(string reason)
    {
        if (Volatile.Read(ref _pendingAcks) is { } pendingAcks)
        {
            foreach (var pending in pendingAcks.Values)
            {
                pending.TrySetException(new IOException($"socket disconnected: {reason}"));
            }
            pendingAcks.Clear();
        }
    }

    private void OnEvent(SocketPacket packet)
    {
        ThreadCounts.Current.EventsReceived++;
        var e = ToEvent(packet);
        var handlers = Volatile.Read(ref _handlers);
        var index = IndexOfHandler(handlers, e.Name);
        if (index >= 0)
        {
            handlers[index].Handler(e);
        }
    }

    private static int IndexOfHandler((string Name, Action<SocketEvent> Handler)[] handlers, string eventName)
    {
        for (var i = 0; i < handlers.Length; i++)
        {
            if (string.Equals(handlers[i].Name, eventName, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private SocketPacket EventPacket(string eventName, object?[] args, int? ackId) => new()
    {
        Type = SocketPacketType.Event,
        Namespace = Namespace.Name,
        AckId = ackId,
        Data = JsonArguments.From(eventName, args),
    };
}
