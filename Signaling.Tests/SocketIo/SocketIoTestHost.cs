using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Signaling.Server.EngineIo;
using Signaling.Server.SocketIo;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.SocketIo;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 serving a <see cref="SocketIoServer"/> on an
/// <see cref="EngineIoServer"/> with short heartbeats at the default path, set up by the test.
/// Namespaces opened through <see cref="Namespace"/> answer <c>echo</c> with an ack of its
/// arguments and report every connection and disconnection to the test.
/// </summary>
internal sealed class SocketIoTestHost : IAsyncDisposable
{
    /// <summary>Bound for every wait on the server side.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly List<IAsyncDisposable> _clients = [];
    private readonly MessageInbox<SocketIoSocket> _connections = new();
    private readonly MessageInbox<(SocketIoSocket Socket, string Reason)> _disconnections = new();

    private SocketIoTestHost(WebApplication app, EngineIoServer engine, SocketIoServer io, Uri baseUri)
    {
        _app = app;
        Engine = engine;
        Io = io;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = WaitLimit };
    }

    public EngineIoServer Engine { get; }

    public SocketIoServer Io { get; }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    /// <summary>
    /// Starts a server whose main namespace is already opened through <see cref="Namespace"/>;
    /// <paramref name="configure"/> then adds namespaces, middlewares and handlers.
    /// </summary>
    public static async Task<SocketIoTestHost> StartAsync(
        Action<SocketIoTestHost>? configure = null,
        Action<SocketIoOptions>? socketIo = null,
        Action<EngineIoOptions>? engineIo = null,
        ISocketIoAdapterFactory? adapters = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        var socketOptions = new SocketIoOptions();
        socketIo?.Invoke(socketOptions);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var io = new SocketIoServer(socketOptions, loggers.CreateLogger<SocketIoServer>(), adapters: adapters);
        // Short enough that every official client answers several pings during a test, long
        // enough that a raw session which never answers outlives the test that opened it.
        var engineOptions = new EngineIoOptions { PingInterval = TimeSpan.FromMilliseconds(500), PingTimeout = TimeSpan.FromSeconds(5) };
        engineIo?.Invoke(engineOptions);
        var engine = new EngineIoServer(engineOptions, io, loggers);
        app.MapEngineIo(engine);
        await app.StartAsync();
        var host = new SocketIoTestHost(app, engine, io, new Uri(app.Urls.First()));
        try
        {
            host.Namespace("/");
            configure?.Invoke(host);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens (or creates) a namespace whose sockets answer <c>echo</c>, are reported to
    /// <see cref="NextConnectionAsync"/> and <see cref="NextDisconnectionAsync"/>, and then get
    /// <paramref name="onConnection"/>.
    /// </summary>
    public SocketIoNamespace Namespace(string name, Action<SocketIoSocket>? onConnection = null) =>
        Io.Of(name).OnConnection(socket =>
        {
            socket.On("echo", e => e.Ack([.. e.Args]));
            socket.Disconnected += (s, reason) => _disconnections.Post((s, reason));
            _connections.Post(socket);
            onConnection?.Invoke(socket);
        });

    /// <summary>The next socket that joined a namespace (optionally one that matches).</summary>
    public Task<SocketIoSocket> NextConnectionAsync(Func<SocketIoSocket, bool>? matches = null) =>
        _connections.TakeAsync(matches ?? (_ => true), WaitLimit);

    /// <summary>The next socket that ended, with the reason its Disconnected event gave.</summary>
    public Task<(SocketIoSocket Socket, string Reason)> NextDisconnectionAsync(Func<SocketIoSocket, bool>? matches = null) =>
        _disconnections.TakeAsync(d => matches?.Invoke(d.Socket) ?? true, WaitLimit);

    /// <summary>Reason the given socket ended with.</summary>
    public async Task<string> DisconnectionOfAsync(SocketIoSocket socket) =>
        (await NextDisconnectionAsync(s => ReferenceEquals(s, socket))).Reason;

    /// <summary>An official client connected to this server, closed with the host.</summary>
    public async Task<NodeSocketClient> ConnectAsync(ClientVersion version, TransportMode transport, Func<NodeClientOptions, NodeClientOptions>? adjust = null)
    {
        var options = new NodeClientOptions(version, transport);
        var client = await NodeSocketClient.ConnectAsync(BaseUri, adjust is null ? options : adjust(options));
        _clients.Add(client);
        return client;
    }

    /// <summary>An official client started without connecting (for connects expected to fail), closed with the host.</summary>
    public NodeSocketClient Start(ClientVersion version, TransportMode transport, Func<NodeClientOptions, NodeClientOptions>? adjust = null)
    {
        var options = new NodeClientOptions(version, transport);
        var client = NodeSocketClient.Start(BaseUri, adjust is null ? options : adjust(options));
        _clients.Add(client);
        return client;
    }

    /// <summary>Keeps something the test opened (a raw session) until the host stops.</summary>
    public T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _clients.Add(disposable);
        return disposable;
    }

    /// <summary>
    /// Waits (bounded) until no Engine.IO session, no Socket.IO connection and no socket in
    /// any of <paramref name="namespaces"/> is left, then asserts it: the leak check.
    /// </summary>
    public async Task AssertNothingLeftAsync(params SocketIoNamespace[] namespaces)
    {
        bool Empty() => Engine.SessionCount == 0 && Io.ConnectionCount == 0 && namespaces.All(n => n.SocketCount == 0);
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!Empty() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Multiple(() =>
        {
            Assert.That(Engine.SessionCount, Is.Zero, "Engine.IO sessions");
            Assert.That(Io.ConnectionCount, Is.Zero, "Socket.IO connections");
            foreach (var nsp in namespaces)
            {
                Assert.That(nsp.SocketCount, Is.Zero, $"sockets in {nsp.Name}");
            }
        });
    }

    /// <summary>Closes every client of the test now (their sockets then end on the server).</summary>
    public async Task CloseClientsAsync()
    {
        var clients = _clients.ToArray();
        _clients.Clear();
        await new AsyncDisposables(clients).DisposeAsync();
    }

    /// <summary>An echo round trip: proof that the client's connection still carries traffic both ways.</summary>
    public static async Task AssertEchoAsync(NodeSocketClient client, string text)
    {
        var answer = await client.EmitWithAckAsync("echo", text, new JObject { ["n"] = 1 });
        JsonAssert.AreEqual(new JArray(text, new JObject { ["n"] = 1 }), answer);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseClientsAsync();
        }
        finally
        {
            using var timeout = new CancellationTokenSource(WaitLimit);
            await Engine.ShutdownAsync(timeout.Token);
            await _app.StopAsync();
            await _app.DisposeAsync();
            await Io.DisposeAsync();
            Http.Dispose();
        }
    }
}
