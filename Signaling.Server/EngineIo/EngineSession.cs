using Signaling.Protocol.EngineIo;

namespace Signaling.Server.EngineIo;

/// <summary>
/// One Engine.IO session: the outgoing queue, heartbeat, upgrade and close state machine, and
/// the ordered hand-off of incoming packets to the <see cref="IEngineIoHandler"/>, whatever
/// transport (polling, WebSocket) carries it at the moment.
/// </summary>
/// <remarks>
/// Two locks: <see cref="Sync"/> guards state and the outbox (held briefly, never while calling
/// the handler or doing I/O); <c>_inbound</c> serialises handler calls so they never overlap.
/// Order when both are needed: <c>_inbound</c> first.
/// </remarks>
internal sealed class EngineSession : IEngineConnection
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

    public void Send(EnginePacket packet)
    {
        lock (Sync)
        {
            if (_state != SessionState.Open)
            {
                return;
            }

            (_outbox ??= []).Add(packet);
            WakeWriterLocked();
        }
    }

    public void Send(IReadOnlyList<EnginePacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        lock (Sync)
        {
            if (_state != SessionState.Open || packets.Count == 0)
            {
                return;
            }

            (_outbox ??= []).AddRange(packets);
            WakeWriterLocked();
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
            (_outbox ??= []).Add(EnginePacket.Create(EnginePacketType.Open, openPayload));
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

    /// <summary>Closes at once for a protocol violation, logging what was wrong.</summary>
    /// <summary>Set by the active WebSocket before it ends the session; read after, in the close handler.</summary>
    public bool ClientLeft { get; internal set; }

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

    /// <summary>
    /// A polling GET: waits until packets are queued (or the session changes state) and returns
    /// the batch to write; or no batch with the error code to answer: the session is gone, or the
    /// GET overlaps another (which also closes the session, as the reference).
    /// </summary>
    internal async ValueTask<(IReadOnlyList<EnginePacket>? Batch, int ErrorCode)> PollAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? waiter = null;
        IReadOnlyList<EnginePacket> batch = [];
        var finishClose = false;
        var overlap = false;
        var heldForUpgrade = false;
        lock (Sync)
        {
            if (_state == SessionState.Closed)
            {
                if (!_lingering)
                {
                    return (null, EngineIoErrors.UnknownSid);
                }

                _lingering = false;
                _server.Remove(this);
                return ([EnginePacket.Create(EnginePacketType.Noop)], 0);
            }

            if (_webSocket is not null)
            {
                // The upgrade completed between the routing of this GET (which then still saw a
                // polling session) and here: refused as every poll after an upgrade.
                return (null, EngineIoErrors.BadRequest);
            }

            if (_pollActive)
            {
                overlap = true;
            }
            else if ((_upgrade is not null || _upgradesAccepting > 0) && _outbox is null && _state == SessionState.Open)
            {
                // An upgrade is under way. A client that already sent "2probe" and "5" on the
                // WebSocket (frames that may sit unread a moment, as this GET came on another
                // connection) expects this poll refused like any poll after an upgrade, as the
                // reference's single event loop does; so the GET waits briefly for the upgrade.
                // A poll the client sent before it saw the probe answer is then answered as usual.
                _pollActive = true;
                heldForUpgrade = _pollHeldForUpgrade = true;
                waiter = _pollWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else if (_outbox is not null || _state != SessionState.Open || _webSocket is not null)
            {
                _pollActive = true;
                batch = TakePollBatchLocked(out finishClose);
            }
            else
            {
                _pollActive = true;
                waiter = _pollWaiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (overlap)
        {
            // A second GET while one is pending.
            CloseNow("transport error");
            return (null, EngineIoErrors.BadRequest);
        }

        if (waiter is not null)
        {
            await WaitForPollAsync(waiter, heldForUpgrade ? UpgradeSettleTime : null, cancellationToken).ConfigureAwait(false);
            lock (Sync)
            {
                _pollWaiter = null;
                _pollHeldForUpgrade = false;
                if (heldForUpgrade && _webSocket is not null)
                {
                    _pollActive = false;
                    return (null, EngineIoErrors.BadRequest);
                }

                batch = TakePollBatchLocked(out finishClose);
            }
        }

        if (finishClose)
        {
            CloseNow(_closeReason);
        }

        return (batch, 0);
    }

    /// <summary>Waits for the poll to be released, or at most <paramref name="limit"/> when given.</summary>
    private async Task WaitForPollAsync(TaskCompletionSource waiter, TimeSpan? limit, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter))
        {
            try
            {
                await (limit is { } wait ? waiter.Task.WaitAsync(wait, _server.Time) : waiter.Task).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Not released within the limit: the caller answers with what there is.
            }
            catch (OperationCanceledException)
            {
                lock (Sync)
                {
                    if (_pollWaiter == waiter)
                    {
                        _pollWaiter = null;
                        _pollActive = false;
                    }
                }

                // As the reference: a poll the client abandons is a transport error.
                CloseNow("transport error");
                throw;
            }
        }
    }

    /// <summary>Marks a polling POST as in progress; false when one already is (the caller answers 400 and the session closes).</summary>
    internal bool TryBeginPost()
    {
        lock (Sync)
        {
            if (_postActive)
            {
                return false;
            }

            _postActive = true;
            return true;
        }
    }

    internal void EndPost()
    {
        lock (Sync)
        {
            _postActive = false;
        }
    }

    /// <summary>Attaches the WebSocket of a session opened directly over WebSocket.</summary>
    internal void AttachWebSocket(WebSocketTransport transport)
    {
        lock (Sync)
        {
            _webSocket = transport;
            transport.IsActive = true;
        }
    }

    /// <summary>
    /// A WebSocket with this sid is being accepted (its 101 may reach the client before
    /// <see cref="TryBeginUpgrade"/>): polls meanwhile are held as during an upgrade. Ends with <see cref="EndAccepting"/>.
    /// </summary>
    internal void BeginAccepting()
    {
        lock (Sync)
        {
            _upgradesAccepting++;
        }
    }

    internal void EndAccepting()
    {
        lock (Sync)
        {
            _upgradesAccepting--;
        }
    }

    /// <summary>A WebSocket arrived with this sid: becomes the upgrade candidate, or false when the session cannot upgrade.</summary>
    internal bool TryBeginUpgrade(WebSocketTransport transport)
    {
        lock (Sync)
        {
            if (_state != SessionState.Open || _webSocket is not null || _upgrade is not null)
            {
                return false;
            }

            _upgrade = transport;
            ScheduleTransportTimerLocked(_server.Options.UpgradeTimeout);
            return true;
        }
    }

    /// <summary>A packet on a WebSocket that is not yet the session's transport: the probe and upgrade handshake.</summary>
    internal void ReceiveOnUpgrade(WebSocketTransport transport, EnginePacket packet)
    {
        var abandon = false;
        lock (Sync)
        {
            if (_upgrade != transport)
            {
                abandon = true;
            }
            else if (packet.Type == EnginePacketType.Ping && packet.Text == "probe")
            {
                transport.EnqueueControlLocked(EnginePacket.Create(EnginePacketType.Pong, "probe"));
                _upgradeProbed = true;
                // Release the pending poll so the client's polling transport can pause; a poll
                // held for the upgrade waits on for the "5" that may follow.
                if (!_pollHeldForUpgrade)
                {
                    _pollWaiter?.TrySetResult();
                }
            }
            else if (packet.Type == EnginePacketType.Upgrade)
            {
                _upgrade = null;
                _upgradeProbed = false;
                _server.Wheel.Cancel(_transportTimer!);
                _webSocket = transport;
                transport.IsActive = true;
                Volatile.Write(ref _transport, EngineIoOptions.WebSocketTransport);
                _pollWaiter?.TrySetResult();
                transport.SignalLocked();
            }
            else
            {
                _upgrade = null;
                _upgradeProbed = false;
                _server.Wheel.Cancel(_transportTimer!);
                abandon = true;
            }
        }

        if (abandon)
        {
            EngineIoLog.UpgradeAbandoned(_server.Logger, Id, $"unexpected {packet.Type} packet");
            transport.Shutdown();
        }
        else if (transport.IsActive)
        {
            EngineIoLog.SessionUpgraded(_server.Logger, Id, (int)Version);
        }
    }

    /// <summary>A WebSocket of this session ended (the peer closed it, or it failed).</summary>
    internal void OnWebSocketEnded(WebSocketTransport transport, string reason)
    {
        lock (Sync)
        {
            if (_upgrade == transport)
            {
                AbandonUpgradeLocked();
                return;
            }

            if (_webSocket != transport)
            {
                return;
            }
        }

        CloseNow(reason);
    }

    /// <summary>
    /// Called by the WebSocket writer under <see cref="Sync"/>: hands over the queue of what it
    /// must write as <paramref name="batch"/> (null if empty) and says what to do next.
    /// </summary>
    internal WebSocketTransport.WriterStep CollectForWebSocketLocked(WebSocketTransport transport, out List<EnginePacket>? batch)
    {
        batch = null;
        if (_webSocket == transport)
        {
            // Handed over rather than copied or cleared, so an idle session keeps no queue array.
            batch = _outbox;
            _outbox = null;
            if (_state == SessionState.Closing)
            {
                return WebSocketTransport.WriterStep.WriteThenClose;
            }
        }

        return batch is not null ? WebSocketTransport.WriterStep.Write : WebSocketTransport.WriterStep.Wait;
    }

    /// <summary>
    /// Closes the session with "ping timeout" when its heartbeat deadline has passed, even if the
    /// shared timer has not fired yet, so a request arriving just after the deadline is refused
    /// exactly as the protocol says. Returns whether it expired.
    /// </summary>
    internal bool ExpireIfTimedOut()
    {
        lock (Sync)
        {
            if (_state != SessionState.Open || _server.Time.GetTimestamp() < _expiresAt)
            {
                return false;
            }
        }

        CloseNow("ping timeout");
        return true;
    }

    /// <summary>Ends a closing polling session at once unless a GET is in progress to carry its close packet (server shutdown).</summary>
    internal void FinishCloseUnlessPolled()
    {
        lock (Sync)
        {
            if (_state != SessionState.Closing || _pollActive || _webSocket is not null)
            {
                return;
            }
        }

        CloseNow(_closeReason);
    }

    /// <summary>The WebSocket writer flushed the close packet of a graceful close.</summary>
    internal void OnGracefulCloseWritten() => CloseNow(_closeReason);

    private IReadOnlyList<EnginePacket> TakePollBatchLocked(out bool finishClose)
    {
        _pollActive = false;
        finishClose = false;
        if (_state == SessionState.Closed)
        {
            return [EnginePacket.Create(_closedByClient ? EnginePacketType.Noop : EnginePacketType.Close)];
        }

        if (_webSocket is not null)
        {
            // The session moved to WebSocket: the outbox is the WebSocket's now; just end this poll.
            return [EnginePacket.Create(EnginePacketType.Noop)];
        }

        var batch = _outbox ?? [];
        _outbox = null;
        if (_state == SessionState.Closing && batch.Count > 0)
        {
            // As the reference: what was queued goes out first and the close packet on the next
            // poll, because clients may act on a close before the packets decoded with it
            // (a 4.x client would report "transport close" instead of "io server disconnect").
            ScheduleTransportTimerLocked(PollingCloseTimeout);
        }
        else if (_state == SessionState.Closing)
        {
            batch.Add(EnginePacket.Create(EnginePacketType.Close));
            finishClose = true;
        }
        else if (batch.Count == 0)
        {
            batch.Add(EnginePacket.Create(EnginePacketType.Noop));
        }

        return batch;
    }

    private void WakeWriterLocked()
    {
        if (_webSocket is not null)
        {
            _webSocket.SignalLocked();
        }
        else
        {
            _pollWaiter?.TrySetResult();
        }
    }

    private WebSocketTransport? AbandonUpgradeLocked()
    {
        var probe = _upgrade;
        _upgrade = null;
        _upgradeProbed = false;
        if (probe is not null && _transportTimer is not null)
        {
            _server.Wheel.Cancel(_transportTimer);
        }

        return probe;
    }

    private void ScheduleTransportTimerLocked(TimeSpan delay)
    {
        _transportTimer ??= new WheelTimer(static (state, generation) => ((EngineSession)state).OnTransportTimer(generation), this);
        _transportTimerGeneration = _server.Wheel.Schedule(_transportTimer, delay);
    }

    private void OnTransportTimer(long generation)
    {
        WebSocketTransport? probe = null;
        var closeNow = false;
        lock (Sync)
        {
            if (generation != _transportTimerGeneration)
            {
                return;
            }

            if (_state == SessionState.Closed)
            {
                if (_lingering)
                {
                    _lingering = false;
                    _server.Remove(this);
                }

                return;
            }

            if (_state == SessionState.Closing)
            {
                // No GET came for the close packet in time.
                closeNow = true;
            }
            else
            {
                probe = AbandonUpgradeLocked();
            }
        }

        if (closeNow)
        {
            CloseNow(_closeReason);
        }
        else if (probe is not null)
        {
            EngineIoLog.UpgradeAbandoned(_server.Logger, Id, "upgrade timeout");
            probe.Shutdown();
        }
    }

    private long TimestampAfter(TimeSpan delay) =>
        _server.Time.GetTimestamp() + (long)(delay.TotalSeconds * _server.Time.TimestampFrequency);

    private void OnHeartbeatTimer(long generation)
    {
        lock (Sync)
        {
            if (generation != _heartbeatGeneration || _state != SessionState.Open)
            {
                return;
            }

            if (Version == EngineIoVersion.V4 && !_awaitingPong)
            {
                _awaitingPong = true;
                (_outbox ??= []).Add(EnginePacket.Create(EnginePacketType.Ping));
                WakeWriterLocked();
                // The pong is due a timeout after the ping was due, so that a client that stops
                // answering is dropped on time. But when the timer fired late (the process
                // stalled), the client still gets its whole timeout from the ping it received.
                var now = _server.Time.GetTimestamp();
                var pingDue = _expiresAt - (long)(_server.Options.PingTimeout.TotalSeconds * _server.Time.TimestampFrequency);
                if (_server.Time.GetElapsedTime(pingDue, now) > StallTolerance)
                {
                    _expiresAt = TimestampAfter(_server.Options.PingTimeout);
                }

                _heartbeatGeneration = _server.Wheel.Schedule(_heartbeat, _server.Time.GetElapsedTime(now, _expiresAt));
                return;
            }
        }

        CloseNow("ping timeout");
    }

    private void OnClientPong()
    {
        lock (Sync)
        {
            if (_state != SessionState.Open || !_awaitingPong)
            {
                return;
            }

            _awaitingPong = false;
            _expiresAt = TimestampAfter(_server.Options.PingInterval + _server.Options.PingTimeout);
            _heartbeatGeneration = _server.Wheel.Schedule(_heartbeat, _server.Options.PingInterval);
        }
    }

    private void OnClientPing(EnginePacket ping)
    {
        lock (Sync)
        {
            if (_state != SessionState.Open)
            {
                return;
            }

            _expiresAt = TimestampAfter(_server.Options.PingInterval + _server.Options.PingTimeout);
            _heartbeatGeneration = _server.Wheel.Schedule(_heartbeat, _server.Options.PingInterval + _server.Options.PingTimeout);
            (_outbox ??= []).Add(EnginePacket.Create(EnginePacketType.Pong, ping.Text ?? string.Empty));
            WakeWriterLocked();
        }
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
