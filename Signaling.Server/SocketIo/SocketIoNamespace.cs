using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Signaling.Server.SocketIo.Recovery;

namespace Signaling.Server.SocketIo;

/// <summary>A namespace (<c>/</c>, <c>/custom</c>, …): its sockets, rooms, connect middlewares and connection handler.</summary>
public sealed class SocketIoNamespace
{
    private readonly ConcurrentDictionary<string, SocketIoSocket> _sockets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Action<RawEvent>> _rawHandlers = new(StringComparer.Ordinal);
    private readonly List<ConnectMiddleware> _middlewares = [];
    private Action<SocketIoSocket>? _onConnection;

    internal SocketIoNamespace(string name, SocketIoServer server)
    {
        Name = name;
        Server = server;
        Adapter = new InMemoryAdapter(this);
    }

    public string Name { get; }

    public SocketIoServer Server { get; }

    public ISocketIoAdapter Adapter { get; }

    /// <summary>Sockets of the namespace, those away and waiting for their client to come back included.</summary>
    public int SocketCount => _sockets.Count;

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
    /// Lets this namespace's protocol v5 sockets recover after a dropped transport (Socket.IO 4.6's
    /// connection state recovery, <see cref="SocketIoOptions.Recovery"/>); does nothing when the
    /// option is off. Per namespace rather than for the whole server, unlike the reference: every
    /// event of such a namespace carries an offset as a last argument, which the namespaces that
    /// must echo byte for byte (the protocol fixtures) cannot have. Call before clients connect.
    /// </summary>
    public SocketIoNamespace EnableRecovery()
    {
        if (Server.Options.Recovery.Enabled)
        {
            Recovery ??= new NamespaceRecovery(Server.Options.Recovery, new InMemoryRecoverySessionStore(), Server.TimeProvider, Server.Log);
        }
        return this;
    }

    internal NamespaceRecovery? Recovery { get; private set; }

    public BroadcastOperator To(string room) => new BroadcastOperator(this).To(room);

    public BroadcastOperator Except(string room) => new BroadcastOperator(this).Except(room);

    /// <summary>Emits to every socket of the namespace.</summary>
    public void Emit(string eventName, params object?[] args) => new BroadcastOperator(this).Emit(eventName, args);

    public bool TryGetSocket(string id, [MaybeNullWhen(false)] out SocketIoSocket socket) => _sockets.TryGetValue(id, out socket);

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

    internal void Remove(SocketIoSocket socket)
    {
        Adapter.LeaveAll(socket.Id);
        _sockets.TryRemove(socket.Id, out _);
    }
}
