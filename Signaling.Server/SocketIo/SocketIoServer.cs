using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Signaling.Protocol;
using Signaling.Protocol.EngineIo;
using Signaling.Server.EngineIo;

namespace Signaling.Server.SocketIo;

/// <summary>
/// The Socket.IO server: sits on an Engine.IO server as its handler and owns the namespaces.
/// </summary>
public sealed class SocketIoServer : IEngineIoHandler, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SocketIoNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SocketIoClient> _clients = new(StringComparer.Ordinal);

    private readonly ISocketIoAdapterFactory _adapters;

    internal SocketIoServer(SocketIoOptions options, ILogger<SocketIoServer> logger, TimeProvider? timeProvider = null, ISocketIoAdapterFactory? adapters = null)
    {
        _adapters = adapters ?? new InMemoryAdapterFactory();
        Options = options;
        Log = logger;
        TimeProvider = timeProvider ?? TimeProvider.System;
        DecodeLimits = new DecodeLimits { MaxJsonDepth = options.MaxJsonDepth, MaxAttachments = options.MaxAttachments };
        Of("/");
    }

    /// <summary>The server's options.</summary>
    public SocketIoOptions Options { get; }

    /// <summary>The clock of its timers.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The main namespace, <c>/</c>.</summary>
    public SocketIoNamespace Sockets => _namespaces["/"];

    /// <summary>Connections currently open, whether or not they joined a namespace.</summary>
    public int ConnectionCount => _clients.Count;

    internal ILogger Log { get; }

    internal DecodeLimits DecodeLimits { get; }

    /// <summary>Whether any namespace takes raw events, so connections look for them.</summary>
    internal bool HasRawHandlers { get; set; }

    /// <summary>The namespace of that name, created on first use; clients may join only namespaces that exist.</summary>
    public SocketIoNamespace Of(string name)
    {
        if (!name.StartsWith('/'))
        {
            throw new ArgumentException("A namespace name starts with '/'.", nameof(name));
        }
        if (_namespaces.TryGetValue(name, out var existing))
        {
            return existing;
        }
        // Under a lock, not GetOrAdd's factory: a namespace made twice would subscribe twice.
        lock (_namespaces)
        {
            return _namespaces.TryGetValue(name, out existing) ? existing : _namespaces[name] = new SocketIoNamespace(name, this, _adapters);
        }
    }

    /// <summary>Ends every socket with "server shutting down"; the connections close after, at the Engine.IO layer.</summary>
    public void Shutdown()
    {
        foreach (var client in _clients.Values)
        {
            client.OnClose(DisconnectReason.ServerShuttingDown);
        }
        foreach (var nsp in _namespaces.Values)
        {
            nsp.Recovery?.EndAll(DisconnectReason.ServerShuttingDown);
        }
    }

    /// <summary>Closes every namespace's adapter: a cluster adapter tells the other nodes this one is leaving.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var nsp in _namespaces.Values)
        {
            await nsp.Adapter.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal bool TryGetNamespace(string name, [MaybeNullWhen(false)] out SocketIoNamespace nsp) => _namespaces.TryGetValue(name, out nsp);

    void IEngineIoHandler.OnOpen(IEngineConnection connection)
    {
        var client = new SocketIoClient(this, connection);
        _clients[connection.Id] = client;
        client.Start();
    }

    void IEngineIoHandler.OnMessage(IEngineConnection connection, EnginePacket packet)
    {
        if (_clients.TryGetValue(connection.Id, out var client))
        {
            client.OnMessage(packet);
        }
    }

    void IEngineIoHandler.OnClose(IEngineConnection connection, string reason)
    {
        if (_clients.TryRemove(connection.Id, out var client))
        {
            client.OnClose(reason);
        }
    }
}
