using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Signaling.Protocol.EngineIo;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.EngineIo;

/// <summary>
/// The Engine.IO server (protocol v3 and v4; polling, WebSocket, and the upgrade between them),
/// behaving as the Node reference server engine.io 6. Serve it with
/// <see cref="EngineIoEndpointRouteBuilderExtensions.MapEngineIo"/> or call
/// <see cref="HandleRequestAsync"/> for requests to <see cref="EngineIoOptions.Path"/>.
/// </summary>
internal sealed class EngineIoServer
{
    /// <summary>Granularity of heartbeats and timeouts, all driven by one shared timer.</summary>
    private static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(10);

    /// <summary>How long <see cref="ShutdownAsync"/> lets WebSocket clients answer the close before aborting them.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Slots for handshake strings shared between sessions: room for the values an app's clients
    /// have in common; each handshake's unique ones (its WebSocket key) take a slot too, and only
    /// in passing. At most ~0.5 MB held (<see cref="SharedStrings.MaxLength"/>), a few KB usually.
    /// </summary>
    private const int HandshakeStringSlots = 1024;

    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<WebSocketTransport, Task> _webSockets = new();
    private readonly SharedStrings _handshakeStrings = new(HandshakeStringSlots);
    private volatile bool _stopping;

    public EngineIoServer(EngineIoOptions options, IEngineIoHandler handler, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Options = options;
        Handler = handler;
        Logger = loggerFactory.CreateLogger<EngineIoServer>();
        Time = timeProvider ?? TimeProvider.System;
        Wheel = new TimerWheel(Time, TimerResolution, Logger);
        Addresses = new ConnectionsPerAddress(options.MaxConnectionsPerAddress);
    }

    public EngineIoOptions Options { get; }

    /// <summary>Sessions currently registered (open, or closing until their close packet is delivered).</summary>
    public int SessionCount => _sessions.Count;

    internal IEngineIoHandler Handler { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal TimerWheel Wheel { get; }

    /// <summary>Slots per client address (<see cref="EngineIoOptions.MaxConnectionsPerAddress"/>), taken at the handshake, given back by <see cref="Remove"/>.</summary>
    internal ConnectionsPerAddress Addresses { get; }

    /// <summary>Handles one HTTP request (polling GET/POST, WebSocket, CORS preflight) to the Engine.IO path.</summary>
    public async Task HandleRequestAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (EngineIoCors.Apply(context, Options))
        {
            return;
        }

        var query = context.Request.Query;
        var isWebSocket = context.WebSockets.IsWebSocketRequest;
        var route = Route(context.Request.Method, query["transport"], query["EIO"], query["sid"], isWebSocket, out var version, out var session);
        switch (route)
        {
            case EngineIoRoute.Handshake:
                if (Options.AllowRequest is { } allowRequest && await allowRequest(context).ConfigureAwait(false) is { } refusal)
                {
                    await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.Forbidden, refusal).ConfigureAwait(false);
                    return;
                }

                if (!Addresses.TryAdmit(context.Connection.RemoteIpAddress))
                {
                    ServerMetrics.ConnectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", "per-address-limit"));
                    await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.Forbidden, "Too many connections from this address").ConfigureAwait(false);
                    return;
                }

                await HandshakeAsync(context, version, isWebSocket).ConfigureAwait(false);
                return;
            case EngineIoRoute.Upgrade:
                // ASP.NET sends the 101 before the socket can become the session's upgrade: a poll
                // the client sends as soon as it has the 101 must already find the session upgrading.
                session!.BeginAccepting();
                WebSocketTransport upgrade;
                try
                {
                    var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
                    upgrade = BeginUpgrade(session, socket, SupportsBinary(query["b64"]), context.RequestAborted);
                }
                finally
                {
                    session.EndAccepting();
                }

                await RunWebSocketAsync(upgrade).ConfigureAwait(false);
                return;
            case EngineIoRoute.Polling:
                await HandlePollingRequestAsync(context, session!, query["transport"]!).ConfigureAwait(false);
                return;
            default:
                await EngineIoErrors.WriteAsync(context, this, (int)route).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// Decides what a request to the Engine.IO path is from its method, query and whether it is a
    /// valid WebSocket request: an error (the <see cref="EngineIoErrors"/> code), a new session, a
    /// WebSocket upgrading <paramref name="session"/>, or a polling request of it. Writes nothing,
    /// so every entry point (the HTTP pipeline, <see cref="EngineIoSocketConnections"/>) answers
    /// the same requests the same way. The <see cref="EngineIoOptions.AllowRequest"/> hook is the
    /// caller's, as it needs the request.
    /// </summary>
    internal EngineIoRoute Route(string method, string? transport, string? eio, string? sid, bool isWebSocket, out EngineIoVersion version, out EngineSession? session)
    {
        session = null;
        if (transport is null || !Options.IsTransportEnabled(transport))
        {
            version = default;
            return (EngineIoRoute)EngineIoErrors.UnknownTransport;
        }

        if (!TryParseVersion(eio, out version))
        {
            return (EngineIoRoute)EngineIoErrors.UnsupportedProtocolVersion;
        }

        if (sid is not null)
        {
            if (!_sessions.TryGetValue(sid, out session) || session.ExpireIfTimedOut())
            {
                session = null;
                return (EngineIoRoute)EngineIoErrors.UnknownSid;
            }

            if (!isWebSocket)
            {
                return EngineIoRoute.Polling;
            }

            return transport != EngineIoOptions.WebSocketTransport || !Options.AllowUpgrades
                ? (EngineIoRoute)EngineIoErrors.BadRequest
                : EngineIoRoute.Upgrade;
        }

        if (!HttpMethods.IsGet(method))
        {
            return (EngineIoRoute)EngineIoErrors.BadHandshakeMethod;
        }

        if (isWebSocket != (transport == EngineIoOptions.WebSocketTransport) || _stopping)
        {
            return (EngineIoRoute)EngineIoErrors.BadRequest;
        }

        return EngineIoRoute.Handshake;
    }

    /// <summary>
    /// Closes every session for a graceful stop (a close packet where the transport allows),
    /// waits for WebSockets to finish their close, and aborts what is left when
    /// <paramref name="cancellationToken"/> fires. New handshakes are refused from now on.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        // Pairs with the barriers of Register and RunWebSocketAsync: a session or WebSocket being
        // opened right now is either seen below or sees the stop itself.
        Interlocked.MemoryBarrier();
        foreach (var session in _sessions.Values)
        {
            session.Close("forced close");
        }

        // Polling sessions without a GET in progress would wait for one; nobody is coming back.
        foreach (var session in _sessions.Values)
        {
            session.FinishCloseUnlessPolled();
        }

        try
        {
            await Task.WhenAll(_webSockets.Select(entry => EndWithinGraceAsync(entry.Key, entry.Value, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var session in _sessions.Values)
            {
                session.CloseNow("forced close");
            }

            // Sessions lingering for a last poll are dropped too: the timer that would end them stops here.
            _sessions.Clear();
            Wheel.Dispose();
        }
    }

    internal void Remove(EngineSession session)
    {
        if (_sessions.TryRemove(KeyValuePair.Create(session.Id, session)))
        {
            Addresses.Release(session.Handshake.RemoteAddress);
        }
    }

    private async Task HandlePollingRequestAsync(HttpContext context, EngineSession session, string transport)
    {
        // After an upgrade the session's transport is websocket, so polling requests for it are refused here.
        if (transport != session.Transport || transport != EngineIoOptions.PollingTransport)
        {
            await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.BadRequest).ConfigureAwait(false);
            return;
        }

        if (session.IsClosed && !HttpMethods.IsGet(context.Request.Method))
        {
            // Only a GET may still collect the last noop of a session the client closed.
            await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.UnknownSid).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            await PollingTransport.HandleGetAsync(context, this, session).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPost(context.Request.Method))
        {
            await PollingTransport.HandlePostAsync(context, this, session).ConfigureAwait(false);
        }
        else
        {
            await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.BadRequest).ConfigureAwait(false);
        }
    }

    private async Task HandshakeAsync(HttpContext context, EngineIoVersion version, bool isWebSocket)
    {
        var request = context.Request;
        var query = request.Query;
        var handshake = BuildHandshakeInfo(
            request.Headers,
            context.Connection.RemoteIpAddress,
            request.IsHttps,
            string.Concat(request.PathBase.Value, request.Path.Value, request.QueryString.Value));
        var supportsBinary = SupportsBinary(query["b64"]);
        if (isWebSocket)
        {
            WebSocket socket;
            try
            {
                socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            }
            catch
            {
                // No session will give back the slot the handshake took.
                Addresses.Release(handshake.RemoteAddress);
                throw;
            }

            await RunWebSocketSessionAsync(version, handshake, socket, supportsBinary, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        string? jsonp = query.ContainsKey("j") ? PollingJsonp.SanitizeIndex(query["j"]) : null;
        var session = new EngineSession(this, NewSessionId(), version, EngineIoOptions.PollingTransport, handshake, supportsBinary, jsonp);
        Register(session);
        // The handshake GET is the session's first poll: it carries the open packet.
        await PollingTransport.HandleGetAsync(context, this, session).ConfigureAwait(false);
    }

    /// <summary>Opens a session on an accepted WebSocket and runs it until the WebSocket ends.</summary>
    internal Task RunWebSocketSessionAsync(EngineIoVersion version, HandshakeInfo handshake, WebSocket socket, bool supportsBinary, CancellationToken aborted)
    {
        var session = new EngineSession(this, NewSessionId(), version, EngineIoOptions.WebSocketTransport, handshake, supportsBinary, jsonpIndex: null);
        var webSocket = new WebSocketTransport(this, session, socket, supportsBinary, aborted);
        session.AttachWebSocket(webSocket);
        Register(session);
        return RunWebSocketAsync(webSocket);
    }

    /// <summary>
    /// Makes an accepted WebSocket the upgrade of <paramref name="session"/>, to be run with
    /// <see cref="RunWebSocketAsync"/>. The sooner the better: from then on polling requests of
    /// the session are answered as during an upgrade.
    /// </summary>
    internal WebSocketTransport BeginUpgrade(EngineSession session, WebSocket socket, bool supportsBinary, CancellationToken aborted)
    {
        var webSocket = new WebSocketTransport(this, session, socket, supportsBinary, aborted);
        if (!session.TryBeginUpgrade(webSocket))
        {
            // Already upgraded, upgrading, or closing: this WebSocket is closed, the session carries on.
            EngineIoLog.UpgradeAbandoned(Logger, session.Id, "the session cannot upgrade now");
            webSocket.Shutdown();
        }

        return webSocket;
    }

    /// <summary>
    /// What a session keeps of its opening request, for <see cref="IEngineConnection.Handshake"/>:
    /// repeated headers joined with commas, as ASP.NET's <c>StringValues</c> prints them, and the
    /// url and header strings other sessions already have shared with them (<see cref="SharedStrings"/>).
    /// The query is not kept apart from the url: the handshake parses the url if a handler asks,
    /// so idle sessions hold no copy.
    /// </summary>
    internal HandshakeInfo BuildHandshakeInfo(
        IEnumerable<KeyValuePair<string, StringValues>> headers,
        IPAddress? remoteAddress,
        bool secure,
        string url)
    {
        var flat = new List<string>();
        foreach (var (name, value) in headers)
        {
            flat.Add(_handshakeStrings.Share(name));
            flat.Add(_handshakeStrings.Share(value.ToString()));
        }

        return new HandshakeInfo([.. flat], remoteAddress, secure, _handshakeStrings.Share(url), Time.GetUtcNow());
    }

    private void Register(EngineSession session)
    {
        _sessions[session.Id] = session;
        session.Open(OpenPayload(session.Id, session.Version, session.Transport == EngineIoOptions.PollingTransport));
        // A WebSocket handshake admitted just before a shutdown began registers after the
        // shutdown looked at the sessions: it closes itself instead of living on until Kestrel stops.
        Interlocked.MemoryBarrier();
        if (_stopping)
        {
            session.Close("forced close");
        }
    }

    /// <summary>Runs a session's WebSocket until it ends, tracked meanwhile so that a shutdown can close it.</summary>
    internal Task RunWebSocketAsync(WebSocketTransport webSocket)
    {
        var run = webSocket.RunAsync();
        _webSockets[webSocket] = run;
        Interlocked.MemoryBarrier();
        if (_stopping)
        {
            // Too late for the shutdown to see it: the same grace here.
            _ = EndWithinGraceAsync(webSocket, run, CancellationToken.None);
        }

        return run;
    }

    /// <summary>Called by a WebSocket that has ended.</summary>
    internal void Untrack(WebSocketTransport webSocket) => _webSockets.TryRemove(webSocket, out _);

    /// <summary>
    /// A client that never answers the WebSocket close handshake must not hold a stopping server:
    /// its WebSocket gets <see cref="ShutdownGrace"/> (less if <paramref name="cancellationToken"/> fires) to end, then is aborted.
    /// </summary>
    private async Task EndWithinGraceAsync(WebSocketTransport webSocket, Task run, CancellationToken cancellationToken)
    {
        try
        {
            await run.WaitAsync(ShutdownGrace, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            webSocket.Abort();
        }
    }

    private bool TryParseVersion(string? value, out EngineIoVersion version)
    {
        switch (value)
        {
            case "4":
                version = EngineIoVersion.V4;
                return true;
            case "3" when Options.AllowEio3:
                version = EngineIoVersion.V3;
                return true;
            default:
                version = default;
                return false;
        }
    }

    private string OpenPayload(string id, EngineIoVersion version, bool isPolling)
    {
        var canUpgrade = isPolling && Options.AllowUpgrades && Options.IsTransportEnabled(EngineIoOptions.WebSocketTransport);
        var body = new OpenPacketBody(
            id,
            canUpgrade ? [EngineIoOptions.WebSocketTransport] : [],
            (long)Options.PingInterval.TotalMilliseconds,
            (long)Options.PingTimeout.TotalMilliseconds,
            version == EngineIoVersion.V4 ? Options.MaxHttpBufferSize : null);
        return JsonSerializer.Serialize(body, EngineIoJsonContext.Default.OpenPacketBody);
    }

    /// <summary>As the reference: any non-empty <c>b64</c> means the client cannot take binary frames or payloads.</summary>
    internal static bool SupportsBinary(string? b64) => string.IsNullOrEmpty(b64);

    /// <summary>20 URL-safe characters from 15 random bytes, like the reference's base64id.</summary>
    private static string NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
