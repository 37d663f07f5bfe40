using Signaling.Protocol.EngineIo;

namespace Signaling.Server.EngineIo;

// The heartbeat (pings and pongs, either direction by protocol version) and the transport timers.
internal sealed partial class EngineSession
{
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
                if (!EnqueueLocked(EnginePacket.Create(EnginePacketType.Ping)))
                {
                    return;
                }

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
            if (EnqueueLocked(EnginePacket.Create(EnginePacketType.Pong, ping.Text ?? string.Empty)))
            {
                WakeWriterLocked();
            }
        }
    }
}
