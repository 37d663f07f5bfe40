using Signaling.Protocol.EngineIo;

namespace Signaling.Server.EngineIo;

// Long-polling: the GET that waits for packets, the POST that carries them in, and the close a poll delivers.
internal sealed partial class EngineSession
{
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
        _bufferedBytes = 0;
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
}
