using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Signaling.Server.EngineIo;

/// <summary>
/// Serves Engine.IO WebSockets straight from accepted sockets, before Kestrel sees them. An idle
/// WebSocket then holds its socket, a small stream and the WebSocket framing; under Kestrel it
/// also held Kestrel's connection, two pipes and their buffers (about twice the memory), and more
/// again inside an ASP.NET request.
/// </summary>
/// <remarks>
/// It looks at a new connection's first request without taking any of its bytes (a peek). A
/// WebSocket request that <see cref="EngineIoWebSocketRequestReader"/> accepts is answered here
/// with 101 and runs the same <see cref="WebSocketTransport"/> as one accepted by ASP.NET.
/// Everything else (other paths, polling, every request Engine.IO refuses, TLS, HTTP/2, odd or
/// oversized heads, a head still incomplete after <see cref="IncompleteHeadPauses"/>) is left to
/// Kestrel untouched, and answered there exactly as without this.
/// </remarks>
internal sealed class EngineIoSocketConnections
{
    // A head whose first bytes arrived alone is looked at again after these pauses: a client
    // writes its head at once, so the rest is normally a millisecond behind. A head still
    // incomplete after them goes to Kestrel, which waits for it under its own timeouts.
    private static readonly TimeSpan[] IncompleteHeadPauses =
        [.. new[] { 1, 2, 4, 8, 16, 32 }.Select(milliseconds => TimeSpan.FromMilliseconds(milliseconds))];

    private static readonly WebSocketCreationOptions WebSocketOptions = new()
    {
        IsServer = true,
        // Engine.IO has its own heartbeat; WebSocket-level pings would only add traffic.
        KeepAliveInterval = TimeSpan.Zero,
    };

    private readonly EngineIoServer _server;
    private readonly EngineIoWebSocketRequestReader _reader;
    private readonly TimeSpan _idleTimeout;
    private readonly ForwardedHeadersMiddleware? _forwarded;

    /// <param name="server">The Engine.IO server whose WebSockets are served.</param>
    /// <param name="idleTimeout">How long a new connection may stay silent (Kestrel's keep-alive timeout).</param>
    /// <param name="forwarded">The proxies to believe about the client's address, as the HTTP pipeline's UseForwardedHeaders does; null for none.</param>
    /// <param name="loggerFactory">For the forwarded-headers middleware's own log.</param>
    public EngineIoSocketConnections(EngineIoServer server, TimeSpan idleTimeout, ForwardedHeadersOptions? forwarded = null, ILoggerFactory? loggerFactory = null)
    {
        _server = server;
        _reader = new EngineIoWebSocketRequestReader(server);
        _idleTimeout = idleTimeout;
        if (forwarded is not null)
        {
            // Its public ApplyForwarders is the same rule the pipeline applies: one implementation for both paths.
            _forwarded = new ForwardedHeadersMiddleware(static _ => Task.CompletedTask, loggerFactory ?? NullLoggerFactory.Instance, Options.Create(forwarded));
        }
    }

    /// <summary>
    /// Has the transport (<c>DescriptorGuardedTransportFactory</c>) hand every new plain
    /// connection to this first. <see cref="EngineIoEndpointRouteBuilderExtensions.MapEngineIo"/>
    /// is still needed: every request not taken here reaches ASP.NET.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="server">Gives the Engine.IO server once the application's services exist.</param>
    /// <param name="forwarded">The trusted proxies, when the application uses forwarded headers; null for none.</param>
    public static void Register(IServiceCollection services, Func<IServiceProvider, EngineIoServer> server, ForwardedHeadersOptions? forwarded = null) =>
        services.AddSingleton(provider => new EngineIoSocketConnections(
            server(provider),
            provider.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.KeepAliveTimeout,
            forwarded,
            provider.GetRequiredService<ILoggerFactory>()));

    /// <summary>
    /// Waits for the connection's first bytes and serves it if it is an Engine.IO WebSocket.
    /// Returns false with the socket untouched (every byte still unread) when it is Kestrel's to
    /// serve; true when it was taken: its WebSocket now runs, or it was closed (silent past the
    /// keep-alive timeout, gone, or <paramref name="stopping"/>).
    /// </summary>
    public async ValueTask<bool> TryServeAsync(Socket socket, CancellationToken stopping)
    {
        // The socket's own asynchronous receive and send states would stay with it for its whole
        // life (some 600 bytes) once used; this receiver is the only one the WebSocket uses too.
        var receiver = new SocketReceiver();
        var served = false;
        try
        {
            // Silent past the timeout, or still silent when the server stops, the connection is
            // shut down (a FIN, as Kestrel closes an idle connection), which ends the wait; it
            // then looks gone and is closed.
            var silence = new WheelTimer(static (state, _) => ShutDown((Socket)state), socket);
            _server.Wheel.Schedule(silence, _idleTimeout);
            try
            {
                using (stopping.UnsafeRegister(static state => ShutDown((Socket)state!), socket))
                {
                    // A zero-byte receive waits for data without taking any.
                    await receiver.ReceiveAsync(socket, Memory<byte>.Empty).ConfigureAwait(false);
                }
            }
            finally
            {
                _server.Wheel.Cancel(silence);
            }

            for (var attempt = 0; ; attempt++)
            {
                switch (Look(socket, out var request))
                {
                    // A handshake past the per-address limit goes to Kestrel, which refuses it
                    // as it refuses one over polling.
                    case Verdict.Ours when request!.Session is not null || _server.Addresses.TryAdmit(ClientOf(request, RemoteAddress(socket)).Address):
                        served = true;
                        await OpenAsync(socket, receiver, request).ConfigureAwait(false);
                        return true;
                    case Verdict.Gone:
                        socket.Dispose();
                        return true;
                    case Verdict.Incomplete when attempt < IncompleteHeadPauses.Length:
                        await Task.Delay(IncompleteHeadPauses[attempt], _server.Time, stopping).ConfigureAwait(false);
                        break;
                    default:
                        return false;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Reset, gone, or the server is stopping: nothing was answered, or nothing more can be.
            socket.Dispose();
            return true;
        }
        finally
        {
            if (!served)
            {
                receiver.Dispose();
            }
        }
    }

    private enum Verdict
    {
        Ours,
        Kestrels,
        Incomplete,
        Gone,
    }

    /// <summary>Peeks at what has arrived so far; the bytes stay in the socket for whoever reads them.</summary>
    private Verdict Look(Socket socket, out EngineIoWebSocketRequestReader.Request? request)
    {
        // On the stack: a burst of new connections should not rent a head buffer each.
        Span<byte> buffer = stackalloc byte[EngineIoWebSocketRequestReader.MaxHeadSize];
        var length = socket.Receive(buffer, SocketFlags.Peek);
        if (length == 0)
        {
            request = null;
            return Verdict.Gone;
        }

        request = _reader.Inspect(buffer[..length], out var complete);
        return request is not null ? Verdict.Ours
            : !complete && length < buffer.Length ? Verdict.Incomplete
            : Verdict.Kestrels;
    }

    private async Task OpenAsync(Socket socket, SocketReceiver receiver, EngineIoWebSocketRequestReader.Request request)
    {
        var (address, secure) = ClientOf(request, RemoteAddress(socket));
        try
        {
            await StartAsync(socket, receiver, request, address, secure).ConfigureAwait(false);
        }
        catch when (request.Session is null)
        {
            // A handshake that failed before its session existed gives back its slot itself.
            _server.Addresses.Release(address);
            throw;
        }
    }

    private async Task StartAsync(Socket socket, SocketReceiver receiver, EngineIoWebSocketRequestReader.Request request, IPAddress? address, bool secure)
    {
        Consume(socket, request.HeadLength);
        var stream = new SocketStream(socket, receiver);
        var supportsBinary = EngineIoServer.SupportsBinary(request.Query.GetValueOrDefault("b64"));
        var webSocket = WebSocket.CreateFromStream(stream, WebSocketOptions);
        // An upgrade begins before the 101 goes out: a client that has it may at once send a
        // poll on another connection, which must find the session upgrading.
        var upgrade = request.Session is { } session ? _server.BeginUpgrade(session, webSocket, supportsBinary, CancellationToken.None) : null;
        // Queued before anything the WebSocket writes, and sent with its first frames. A client
        // that left meanwhile is found by the WebSocket's reader, which ends what starts here.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(_reader.SwitchingProtocols(request))).ConfigureAwait(false);

        // The runs end by disposing the WebSocket, and with it the socket.
        if (upgrade is not null)
        {
            _ = _server.RunWebSocketAsync(upgrade);
        }
        else
        {
            var handshake = _server.BuildHandshakeInfo(request.Headers, address, secure, request.Url);
            _ = _server.RunWebSocketSessionAsync(request.Version, handshake, webSocket, supportsBinary, CancellationToken.None);
        }
    }

    /// <summary>The client's address and whether it came over HTTPS: the socket's peer, or what a trusted proxy says.</summary>
    private (IPAddress? Address, bool Secure) ClientOf(EngineIoWebSocketRequestReader.Request request, IPAddress? peer)
    {
        if (_forwarded is null)
        {
            return (peer, false);
        }
        // Once per WebSocket opened straight from its socket, only when proxies are configured.
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = peer;
        context.Request.Scheme = "http";
        foreach (var (name, value) in request.Headers)
        {
            context.Request.Headers[name] = value;
        }
        _forwarded.ApplyForwarders(context);
        return (context.Connection.RemoteIpAddress, context.Request.IsHttps);
    }

    private static IPAddress? RemoteAddress(Socket socket) => (socket.RemoteEndPoint as IPEndPoint)?.Address;

    private static void ShutDown(Socket socket)
    {
        try
        {
            // Disposing during the receive would reset the connection instead.
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    /// <summary>Takes the head that was peeked at; it is all there, so this returns at once.</summary>
    private static void Consume(Socket socket, int length)
    {
        Span<byte> head = stackalloc byte[length];
        while (!head.IsEmpty)
        {
            var read = socket.Receive(head);
            if (read == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            head = head[read..];
        }
    }
}
