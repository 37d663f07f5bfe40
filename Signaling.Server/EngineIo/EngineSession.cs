using Signaling.Protocol.EngineIo;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.EngineIo;

/// <summary>
/// One Engine.IO session: the outgoing queue, heartbeat, upgrade and close state machine, and
/// the ordered hand-off of incoming packets to the <see cref="IEngineIoHandler"/>, whatever
/// transport (polling, WebSocket) carries it at the moment.
/// </summary>
/// <remarks>
/// Two locks: <see cref="Sync"/> guards state and the outbox (held briefly, never while calling
/// the handler or doing I/O); <c>_inbound</c> serialises handler calls so they never overlap.
/// Order when both are needed: <c>_inbound</c> first. One file per concern: this one (state,
/// receive, close, handler calls), <c>.Outbox</c>, <c>.Polling</c>, <c>.WebSocket</c>, <c>.Heartbeat</c>.
/// </remarks>
internal sealed partial class EngineSession : IEngineConnection
{
    /// <summary>How long a server-closed polling session waits for the GET that carries its close packet (as the reference).</summary>
    private static readonly TimeSpan PollingCloseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a polling session the client closed by POST stays known, so that a GET the client
    /// sent at the same moment (over another connection, which may be dispatched later) ends with
    /// a noop as in the reference, whose single event loop sees the GET before the POST body.
    /// </summary>
    private static readonly TimeSpan ClientCloseLinger = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A ping timer firing later than this means the process stalled (the shared timer is
    /// otherwise a few milliseconds late at most); the client is then not blamed for the delay.
    /// </summary>
    private static readonly TimeSpan StallTolerance = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a GET that arrives during a probed upgrade waits for the client's "5".</summary>
    private static readonly TimeSpan UpgradeSettleTime = TimeSpan.FromMilliseconds(200);

    private readonly EngineIoServer _server;
    private readonly Lock _inbound = new();
    private readonly WheelTimer _heartbeat;
    private WheelTimer? _transportTimer;

    private SessionState _state;
    private string _transport;
    private List<EnginePacket>? _outbox;
    private string _closeReason = string.Empty;

    // What the server holds for this client (EngineIoOptions.MaxBufferedBytes): the outbox plus
    // the batch the WebSocket writer is writing, in encoded characters or bytes.
    private long _bufferedBytes;
    private long _handedOverBytes;
    private bool _overflowed;

    // Polling.
    private TaskCompletionSource? _pollWaiter;
    private bool _pollActive;
    private bool _postActive;
    private bool _closedByClient;
    private bool _pollHeldForUpgrade;
    private bool _lingering;

    // WebSocket: the active transport, or one that is probing for an upgrade.
    private WebSocketTransport? _webSocket;
    private WebSocketTransport? _upgrade;
    // WebSockets with this sid whose 101 is being sent by ASP.NET, before they can become _upgrade.
    private int _upgradesAccepting;
    private bool _upgradeProbed;

    // Heartbeat and transport timers; a firing whose generation is stale is ignored.
    private bool _awaitingPong;
    private long _heartbeatGeneration;
    private long _expiresAt;
    private long _transportTimerGeneration;

    // Handler dispatch.
    private bool _closeNotified;
    private bool _inHandler;
    private string? _deferredCloseReason;

    public EngineSession(EngineIoServer server, string id, EngineIoVersion version, string transport, HandshakeInfo handshake, bool supportsBinary, string? jsonpIndex)
    {
        _server = server;
        Id = id;
        Version = version;
        _transport = transport;
        Handshake = handshake;
        SupportsBinary = supportsBinary;
        JsonpIndex = jsonpIndex;
        _heartbeat = new WheelTimer(static (state, generation) => ((EngineSession)state).OnHeartbeatTimer(generation), this);
    }

    private enum SessionState
    {
        Open,
        Closing,
        Closed,
    }

    public string Id { get; }

    public EngineIoVersion Version { get; }

    public string Transport => Volatile.Read(ref _transport);

    public HandshakeInfo Handshake { get; }

    /// <summary>v3 polling: whether GET responses may use the binary (XHR2) payload (no <c>b64</c> in the handshake).</summary>
    internal bool SupportsBinary { get; }

    /// <summary>The JSONP callback index when the session polls through JSONP, else null.</summary>
    internal string? JsonpIndex { get; }

    /// <summary>
    /// Set once the client sent a polling packet as UTF-8 byte characters (Socket.IO 1.x):
    /// text payloads to it are then written the same way.
    /// </summary>
    internal bool PayloadsAsByteCharacters { get; set; }

    internal Lock Sync { get; } = new();

    internal bool IsClosed
    {
        get
        {
            lock (Sync)
            {
                return _state == SessionState.Closed;
            }
        }
    }

    /// <summary>Graceful close asked by the layer above: queued packets and a close packet go out first.</summary>
    public void Close(string reason)
    {
        WebSocketTransport? probe;
        lock (Sync)
        {
            if (_state != SessionState.Open)
            {
                return;
            }

            _state = SessionState.Closing;
            _closeReason = reason;
            _server.Wheel.Cancel(_heartbeat);
            // A client that already has its probe answer has paused polling and will finish the
            // upgrade: it reads what is queued, then the close packet, on the new WebSocket.
            // An earlier upgrade is abandoned: that client has not paused (it pauses on the probe
            // answer), so it polls on and gets the close as any polling client does.
            probe = _upgradeProbed ? null : AbandonUpgradeLocked();
            if (_webSocket is not null)
            {
                _webSocket.SignalLocked();
            }
            else if (_pollWaiter is not null)
            {
                _pollWaiter.TrySetResult();
            }
            else
            {
                ScheduleTransportTimerLocked(PollingCloseTimeout);
            }
        }

        probe?.Shutdown();
        NotifyClosed(reason);
    }

    /// <summary>Queues the open packet, tells the handler, and starts the heartbeat. Called once, right after registration.</summary>
    internal void Open(string openPayload)
    {
        lock (Sync)
        {
            EnqueueLocked(EnginePacket.Create(EnginePacketType.Open, openPayload));
            ConnectionCounts.OnOpened(_transport, Version);
            // v4: the server pings every interval. v3: the client pings; silence for interval + timeout drops it.
            _expiresAt = TimestampAfter(_server.Options.PingInterval + _server.Options.PingTimeout);
            _heartbeatGeneration = _server.Wheel.Schedule(_heartbeat, Version == EngineIoVersion.V4
                ? _server.Options.PingInterval
                : _server.Options.PingInterval + _server.Options.PingTimeout);
        }

        EngineIoLog.SessionOpened(_server.Logger, Id, Transport, (int)Version);
        Dispatch(static (session, _) => session._server.Handler.OnOpen(session), default, nameof(IEngineIoHandler.OnOpen));
    }

    /// <summary>Handles packets from the active transport, in order.</summary>
    internal void Receive(IReadOnlyList<EnginePacket> packets)
    {
        for (var i = 0; i < packets.Count; i++)
        {
            Receive(packets[i]);
        }
    }

    /// <summary>Handles one packet from the active transport.</summary>
    internal void Receive(EnginePacket packet)
    {
        switch (packet.Type)
        {
            case EnginePacketType.Message:
                Dispatch(static (session, p) => session._server.Handler.OnMessage(session, p), packet, nameof(IEngineIoHandler.OnMessage));
                break;
            case EnginePacketType.Ping when Version == EngineIoVersion.V3:
                OnClientPing(packet);
                break;
            case EnginePacketType.Pong when Version == EngineIoVersion.V4:
                OnClientPong();
                break;
            case EnginePacketType.Ping:
            case EnginePacketType.Pong:
                // The heartbeat runs the other way in this version (as the reference, a transport error).
                CloseNow("transport error");
                break;
            case EnginePacketType.Close:
                CloseNow("transport close", closedByClient: true);
                break;
            default:
                // open, upgrade and noop from a client carry nothing to act on; the reference ignores them.
                break;
        }
    }

    /// <summary>Twice the heartbeat's bound, for a heartbeat that a stalled process let run late.</summary>
    public TimeSpan DeliveredWithin => Version == EngineIoVersion.V4
        ? 2 * (_server.Options.PingInterval + _server.Options.PingTimeout)
        : TimeSpan.MaxValue;

    /// <summary>Set by the active WebSocket before it ends the session; read after, in the close handler.</summary>
    public bool ClientLeft { get; internal set; }

    /// <summary>Closes at once for a protocol violation, logging what was wrong.</summary>
    internal void ClosePerParseError(string error)
    {
        EngineIoLog.ParseError(_server.Logger, Id, Transport, (int)Version, error);
        CloseNow("parse error");
    }

    /// <summary>
    /// Immediate close (errors, timeouts, the client's close): nothing more is flushed, a pending
    /// poll gets a close packet (noop when the client itself closed), WebSockets are closed.
    /// </summary>
    internal void CloseNow(string reason, bool closedByClient = false)
    {
        WebSocketTransport? webSocket, probe;
        string closeReason;
        lock (Sync)
        {
            if (_state == SessionState.Closed)
            {
                return;
            }

            // A graceful close that ends here keeps the reason it was asked with.
            closeReason = _state == SessionState.Closing ? _closeReason : reason;
            _state = SessionState.Closed;
            _closeReason = closeReason;
            // Under the lock that an upgrade takes too, so the transport counted is the last one.
            ConnectionCounts.OnClosed(_transport, Version, closeReason);
            _closedByClient = closedByClient;
            _outbox = null;
            _server.Wheel.Cancel(_heartbeat);
            if (_transportTimer is not null)
            {
                _server.Wheel.Cancel(_transportTimer);
            }

            _pollWaiter?.TrySetResult();
            webSocket = _webSocket;
            probe = AbandonUpgradeLocked();
            _lingering = closedByClient && webSocket is null && !_pollActive;
            if (_lingering)
            {
                ScheduleTransportTimerLocked(ClientCloseLinger);
            }
        }

        if (!_lingering)
        {
            _server.Remove(this);
        }

        webSocket?.Shutdown();
        probe?.Shutdown();
        EngineIoLog.SessionClosed(_server.Logger, Id, Transport, (int)Version, closeReason);
        NotifyClosed(closeReason);
    }

    private void Dispatch(Action<EngineSession, EnginePacket> call, EnginePacket packet, string callbackName)
    {
        lock (_inbound)
        {
            if (_closeNotified)
            {
                return;
            }

            _inHandler = true;
            try
            {
                call(this, packet);
            }
            catch (Exception e)
            {
                EngineIoLog.HandlerFailed(_server.Logger, e, callbackName, Id);
            }
            finally
            {
                _inHandler = false;
            }

            // The handler closed its own connection: OnClose follows the call that did it, never nests in it.
            if (_deferredCloseReason is { } reason)
            {
                _deferredCloseReason = null;
                InvokeOnClose(reason);
            }
        }
    }

    private void NotifyClosed(string reason)
    {
        lock (_inbound)
        {
            if (_closeNotified)
            {
                return;
            }

            _closeNotified = true;
            if (_inHandler)
            {
                _deferredCloseReason = reason;
                return;
            }

            InvokeOnClose(reason);
        }
    }

    private void InvokeOnClose(string reason)
    {
        try
        {
            _server.Handler.OnClose(this, reason);
        }
        catch (Exception e)
        {
            EngineIoLog.HandlerFailed(_server.Logger, e, nameof(IEngineIoHandler.OnClose), Id);
        }
    }
}
