using Signaling.Protocol.EngineIo;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.EngineIo;

// WebSocket: the active transport's writer, and the upgrade from polling (probe, pause, switch).
internal sealed partial class EngineSession
{
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
                ConnectionCounts.OnUpgraded(Version);
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
            // The writer is back for more: the batch it had is written (into the socket's queue
            // or the kernel), so the session no longer holds it.
            _bufferedBytes -= _handedOverBytes;
            _handedOverBytes = _bufferedBytes;
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

    /// <summary>The WebSocket writer flushed the close packet of a graceful close.</summary>
    internal void OnGracefulCloseWritten() => CloseNow(_closeReason);

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
}
