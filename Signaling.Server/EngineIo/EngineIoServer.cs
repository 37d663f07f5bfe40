using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Signaling.Protocol.EngineIo;

namespace Signaling.Server.EngineIo;

/// <summary>
/// The Engine.IO server (protocol v3 and v4; polling, WebSocket, and the upgrade between them),
/// behaving as the Node reference server engine.io 6. Serve it with
/// <see cref="EngineIoEndpointRouteBuilderExtensions.MapEngineIo"/> or call
/// <see cref="HandleRequestAsync"/> for requests to <see cref="EngineIoOptions.Path"/>.
/// </summary>
public sealed class EngineIoServer
{
    /// <summary>Granularity of heartbeats and timeouts, all driven by one shared timer.</summary>
    private static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(10);

    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<WebSocketTransport, Task> _webSockets = new();
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
    }

    public EngineIoOptions Options { get; }

    /// <summary>Sessions currently registered (open, or closing until their close packet is delivered).</summary>
    public int SessionCount => _sessions.Count;

    internal IEngineIoHandler Handler { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal TimerWheel Wheel { get; }

    /// <summary>Handles one HTTP request (polling GET/POST, WebSocket, CORS preflight) to the Engine.IO path.</summary>
    public async Task HandleRequestAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (EngineIoCors.Apply(context, Options))
        {
            return;
        }

        var query = context.Request.Query;
        string? transport = query["transport"];
        if (transport is null || !Options.IsTransportEnabled(transport))
        {
            await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.UnknownTransport).ConfigureAwait(false);
            return;
        }

        if (!TryParseVersion(query["EIO"], out var version))
        {
            await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.UnsupportedProtocolVersion).ConfigureAwait(false);
            return;
        }

        var isWebSocket = context.WebSockets.IsWebSocketRequest;
        string? sid = query["sid"];
        if (sid is not null)
        {
            await HandleSessionRequestAsync(context, sid, transport, isWebSocket).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.BadHandshakeMethod).ConfigureAwait(false);
            return;
        }

        if (isWebSocket != (transport == EngineIoOptions.WebSocketTransport) || _stopping)
        {
            await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.BadRequest).ConfigureAwait(false);
            return;
        }

        if (Options.AllowRequest is { } allowRequest && await allowRequest(context).ConfigureAwait(false) is { } refusal)
        {
            await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.Forbidden, refusal).ConfigureAwait(false);
            return;
        }

        await HandshakeAsync(context, version, transport).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes every session for a graceful stop (a close packet where the transport allows),
    /// waits for WebSockets to finish their close, and aborts what is left when
    /// <paramref name="cancellationToken"/> fires. New handshakes are refused from now on.
    /// </summary>
    /// <summary>How long <see cref="ShutdownAsync"/> lets WebSocket clients answer the close before aborting them.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(1);

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        foreach (var session in _sessions.Values)
        {
            session.Close("forced close");
        }

        // Polling sessions without a GET in progress would wait for one; nobody is coming back.
        foreach (var session in _sessions.Values)
        {
            session.FinishCloseUnlessPolled();
        }

        // A client that never answers the WebSocket close handshake must not hold the process:
        // after a short grace the remaining sockets are aborted.
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(ShutdownGrace);
        try
        {
            await Task.WhenAll(_webSockets.Values).WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            foreach (var webSocket in _webSockets.Keys)
            {
                webSocket.Abort();
            }
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

    internal void Remove(EngineSession session) => _sessions.TryRemove(KeyValuePair.Create(session.Id, session));

    private async Task HandleSessionRequestAsync(HttpContext context, string sid, string transport, bool isWebSocket)
    {
        if (!_sessions.TryGetValue(sid, out var session) || session.ExpireIfTimedOut())
        {
            await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.UnknownSid).ConfigureAwait(false);
            return;
        }

        if (isWebSocket)
        {
            if (transport != EngineIoOptions.WebSocketTransport || !Options.AllowUpgrades)
            {
                await EngineIoErrors.WriteAsync(context, this, EngineIoErrors.BadRequest).ConfigureAwait(false);
                return;
            }

            await UpgradeAsync(context, session).ConfigureAwait(false);
            return;
        }

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

    private async Task HandshakeAsync(HttpContext context, EngineIoVersion version, string transport)
    {
        var query = context.Request.Query;
        var id = NewSessionId();
        var isPolling = transport == EngineIoOptions.PollingTransport;
        string? jsonp = isPolling && query.ContainsKey("j") ? PollingJsonp.SanitizeIndex(query["j"]) : null;
        var session = new EngineSession(this, id, version, transport, BuildHandshakeInfo(context), SupportsBinary(context), jsonp);
        WebSocketTransport? webSocket = null;
        if (!isPolling)
        {
            var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            webSocket = new WebSocketTransport(this, session, socket, SupportsBinary(context), context.RequestAborted);
            session.AttachWebSocket(webSocket);
        }

        _sessions[id] = session;
        session.Open(OpenPayload(id, version, isPolling));
        if (webSocket is null)
        {
            // The handshake GET is the session's first poll: it carries the open packet.
            await PollingTransport.HandleGetAsync(context, this, session).ConfigureAwait(false);
        }
        else
        {
            await RunWebSocketAsync(webSocket).ConfigureAwait(false);
        }
    }

    private async Task UpgradeAsync(HttpContext context, EngineSession session)
    {
        var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var webSocket = new WebSocketTransport(this, session, socket, SupportsBinary(context), context.RequestAborted);
        if (!session.TryBeginUpgrade(webSocket))
        {
            // Already upgraded, upgrading, or closing: this WebSocket is closed, the session carries on.
            EngineIoLog.UpgradeAbandoned(Logger, session.Id, "the session cannot upgrade now");
            webSocket.Shutdown();
        }

        await RunWebSocketAsync(webSocket).ConfigureAwait(false);
    }

    private async Task RunWebSocketAsync(WebSocketTransport webSocket)
    {
        var run = webSocket.RunAsync();
        _webSockets[webSocket] = run;
        try
        {
            await run.ConfigureAwait(false);
        }
        finally
        {
            _webSockets.TryRemove(webSocket, out _);
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

    private HandshakeInfo BuildHandshakeInfo(HttpContext context)
    {
        var request = context.Request;
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            query[key] = value.ToString();
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in request.Headers)
        {
            headers[key] = value.ToString();
        }

        return new HandshakeInfo(
            query,
            headers,
            context.Connection.RemoteIpAddress,
            request.IsHttps,
            string.Concat(request.PathBase.Value, request.Path.Value, request.QueryString.Value),
            Time.GetUtcNow());
    }

    /// <summary>As the reference: any non-empty <c>b64</c> means the client cannot take binary frames or payloads.</summary>
    private static bool SupportsBinary(HttpContext context) => string.IsNullOrEmpty(context.Request.Query["b64"]);

    /// <summary>20 URL-safe characters from 15 random bytes, like the reference's base64id.</summary>
    private static string NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
