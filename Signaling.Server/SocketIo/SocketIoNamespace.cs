using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo.Recovery;

namespace Signaling.Server.SocketIo;

/// <summary>A namespace (<c>/</c>, <c>/custom</c>, …): its sockets, rooms, connect middlewares and connection handler.</summary>
public sealed class SocketIoNamespace
{
    private readonly ConcurrentDictionary<string, SocketIoSocket> _sockets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<RawEvent>> _rawHandlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<ServerSideEvent>> _serverSideHandlers = new(StringComparer.Ordinal);
    private readonly List<ConnectMiddleware> _middlewares = [];
    private Action<SocketIoSocket>? _onConnection;
    private Action<SocketIoSocket, string, string?>? _onRateLimited;
    // Ack ids for emits of every socket of the namespace, as the reference numbers them: one
    // broadcast sends one packet with one id to many sockets, so the ids must not collide.
    private int _nextAckId = -1;

    internal SocketIoNamespace(string name, SocketIoServer server, ISocketIoAdapterFactory adapters)
    {
        Name = name;
        Server = server;
        Adapter = adapters.Create(this);
        Ready = Adapter.InitAsync(CancellationToken.None);
    }

    /// <summary>The namespace's name, such as <c>/</c> or <c>/chat</c>.</summary>
    public string Name { get; }

    /// <summary>The server it belongs to.</summary>
    public SocketIoServer Server { get; }

    internal ISocketIoAdapter Adapter { get; }

    /// <summary>Completes once the adapter hears the other nodes (at once for one node).</summary>
    public Task Ready { get; }

    /// <summary>Sockets of the namespace, those away and waiting for their client to come back included.</summary>
    public int SocketCount => _sockets.Count;

    /// <summary>The sockets connected to this server.</summary>
    public IEnumerable<SocketIoSocket> Sockets => _sockets.Values;

    /// <summary>Adds a check every socket passes before it joins, in the order added.</summary>
    public SocketIoNamespace Use(ConnectMiddleware middleware)
    {
        _middlewares.Add(middleware);
        return this;
    }

    /// <summary>Sets the handler that registers a new socket's event handlers.</summary>
    public SocketIoNamespace OnConnection(Action<SocketIoSocket> handler)
    {
        _onConnection = handler;
        return this;
    }

    /// <summary>
    /// Handles an event of every socket in the namespace from its encoded form (see
    /// <see cref="RawEvent"/>) instead of through <see cref="SocketIoSocket.On"/>: for events that
    /// are forwarded rather than read, like the relay's.
    /// </summary>
    public SocketIoNamespace OnRawEvent(string eventName, Action<RawEvent> handler)
    {
        _rawHandlers[eventName] = handler;
        Server.HasRawHandlers = true;
        return this;
    }

    /// <summary>
    /// Sets what happens to an event without an ack that a socket sent over its rate limit
    /// (<see cref="SocketIoRateLimitOptions"/>): the handler gets the socket, the event's name and
    /// its first argument when that is a string. Without a handler such events are dropped;
    /// events with an ack are answered <c>{"error":"rate-limited"}</c> either way.
    /// </summary>
    public SocketIoNamespace OnRateLimited(Action<SocketIoSocket, string, string?> handler)
    {
        _onRateLimited = handler;
        return this;
    }

    /// <summary>
    /// Lets this namespace's protocol v5 sockets recover after a dropped transport (Socket.IO 4.6's
    /// connection state recovery, <see cref="SocketIoOptions.Recovery"/>); does nothing when the
    /// option is off. Per namespace rather than for the whole server, unlike the reference: every
    /// event of such a namespace carries an offset as a last argument, which the namespaces that
    /// must echo byte for byte (the protocol fixtures) cannot have. Call before clients connect.
    /// </summary>
    public SocketIoNamespace EnableRecovery()
    {
        if (Server.Options.Recovery.Enabled && Recovery is null)
        {
            // A cluster adapter keeps the sessions where every node can claim them.
            var store = Adapter is IRecoverySessionStoreSource shared ? shared.CreateRecoveryStore(Server.Options.Recovery) : new InMemoryRecoverySessionStore();
            Recovery = new NamespaceRecovery(this, Server.Options.Recovery, store, Server.TimeProvider, Server.Log);
        }
        return this;
    }

    internal NamespaceRecovery? Recovery { get; private set; }

    /// <summary>
    /// Handles what another node sends with <see cref="ServerSideEmit"/>. A node with no handler
    /// for an event does not answer it, as Node nodes do not.
    /// </summary>
    public SocketIoNamespace OnServerSideEmit(string eventName, Action<ServerSideEvent> handler)
    {
        _serverSideHandlers[eventName] = handler;
        return this;
    }

    /// <summary>Sends to the sockets in <paramref name="room"/> (a room, or a socket's id).</summary>
    public BroadcastOperator To(string room) => All.To(room);

    /// <summary>The same as <see cref="To"/>.</summary>
    public BroadcastOperator In(string room) => All.To(room);

    /// <summary>Sends to every socket but those in <paramref name="room"/>.</summary>
    public BroadcastOperator Except(string room) => All.Except(room);

    /// <summary>Operations on this node's sockets only.</summary>
    public BroadcastOperator Local => All.Local;

    /// <summary>Sends only to the sockets that can take the packet now; others miss it.</summary>
    public BroadcastOperator Volatile => All.Volatile;

    /// <summary>Bounds the wait of <see cref="BroadcastOperator.EmitWithAckAsync"/>.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => All.Timeout(timeout);

    /// <summary>Emits to every socket of the namespace, on every node.</summary>
    public void Emit(string eventName, params object?[] args) => All.Emit(eventName, args);

    /// <summary>The namespace's sockets on every node.</summary>
    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) => All.FetchSocketsAsync(cancellationToken);

    /// <summary>Makes every socket, on every node, join <paramref name="rooms"/>.</summary>
    public Task SocketsJoinAsync(params string[] rooms) => All.SocketsJoinAsync(rooms);

    /// <summary>Makes every socket, on every node, leave <paramref name="rooms"/>.</summary>
    public Task SocketsLeaveAsync(params string[] rooms) => All.SocketsLeaveAsync(rooms);

    /// <summary>Disconnects every socket, on every node; <paramref name="close"/> also closes their connections.</summary>
    public Task DisconnectSocketsAsync(bool close = false) => All.DisconnectSocketsAsync(close);

    /// <summary>Sends an event to the other nodes' <see cref="OnServerSideEmit"/> handlers (this node's are not called).</summary>
    public void ServerSideEmit(string eventName, params object?[] args) => Adapter.ServerSideEmit(JsonArguments.From(eventName, args));

    /// <summary>As <see cref="ServerSideEmit"/>, and returns one answer per other node; fails after the adapter's request timeout.</summary>
    public Task<IReadOnlyList<JToken>> ServerSideEmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken = default) =>
        Adapter.ServerSideEmitWithAckAsync(JsonArguments.From(eventName, args), cancellationToken);

    /// <summary>Every room on every node.</summary>
    public Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default) => Adapter.AllRoomsAsync(cancellationToken);

    /// <summary>How many servers share the namespace: 1 in memory, the nodes of a cluster.</summary>
    public Task<int> ServerCountAsync(CancellationToken cancellationToken = default) => Adapter.ServerCountAsync(cancellationToken);

    /// <summary>
    /// Raised by a cluster adapter when what this node knew of the others may be stale: a node
    /// left (it said so, or its heartbeat stopped), or this node is back on the cluster after
    /// losing it. The argument says which.
    /// </summary>
    public event Action<string>? ClusterChanged;

    /// <summary>Tells <see cref="ClusterChanged"/> listeners; for adapters.</summary>
    public void OnClusterChanged(string why)
    {
        try
        {
            ClusterChanged?.Invoke(why);
        }
        catch (Exception error)
        {
            Server.Log.HandlerFailed(error, "cluster changed", why);
        }
    }

    /// <summary>
    /// Runs this node's handler for a server-side event another node sent (<c>[event, ...args]</c>);
    /// <paramref name="ack"/> answers it. For adapters.
    /// </summary>
    public void HandleServerSideEmit(JArray data, Action<JToken>? ack)
    {
        if (data.Count == 0 || data[0] is not JValue { Type: JTokenType.String } name || !_serverSideHandlers.TryGetValue((string)name!, out var handler))
        {
            return;
        }
        try
        {
            handler(new ServerSideEvent((string)name!, new JArray(data.Skip(1)), ack));
        }
        catch (Exception error)
        {
            Server.Log.HandlerFailed(error, (string)name!, "(server-side emit)");
        }
    }

    private BroadcastOperator All => new(this);

    /// <summary>The socket of that id, when it is connected to this server.</summary>
    public bool TryGetSocket(string id, [MaybeNullWhen(false)] out SocketIoSocket socket) => _sockets.TryGetValue(id, out socket);

    internal int NextAckId() => Interlocked.Increment(ref _nextAckId);

    internal bool TryGetRawHandler(string eventName, [MaybeNullWhen(false)] out Action<RawEvent> handler) =>
        _rawHandlers.TryGetValue(eventName, out handler);

    internal ConnectRejection? Admit(SocketIoSocket socket)
    {
        if (RunMiddlewares(socket) is { } rejection)
        {
            return rejection;
        }
        _sockets[socket.Id] = socket;
        Adapter.Join(socket.Id, socket.Id);
        return null;
    }

    /// <summary>Adds a socket claimed from another node under its old id, in its id room; false when a socket of that id is here already.</summary>
    internal bool TryAdmitReturning(SocketIoSocket socket)
    {
        if (!_sockets.TryAdd(socket.Id, socket))
        {
            return false;
        }
        Adapter.Join(socket.Id, socket.Id);
        return true;
    }

    internal ConnectRejection? RunMiddlewares(SocketIoSocket socket)
    {
        foreach (var middleware in _middlewares)
        {
            if (middleware(socket) is { } rejection)
            {
                return rejection;
            }
        }
        return null;
    }

    internal void RunConnectionHandler(SocketIoSocket socket) => _onConnection?.Invoke(socket);

    internal void RunRateLimitedHandler(SocketIoSocket socket, string eventName, string? firstArgument) =>
        _onRateLimited?.Invoke(socket, eventName, firstArgument);

    internal void Remove(SocketIoSocket socket)
    {
        Adapter.LeaveAll(socket.Id);
        _sockets.TryRemove(socket.Id, out _);
    }
}
