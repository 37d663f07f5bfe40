using Signaling.Protocol.EngineIo;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.EngineIo;

// Sending: the outbox every transport drains, bounded by EngineIoOptions.MaxBufferedBytes.
internal sealed partial class EngineSession
{
    public void Send(EnginePacket packet)
    {
        lock (Sync)
        {
            if (_state != SessionState.Open || !EnqueueLocked(packet))
            {
                return;
            }

            WakeWriterLocked();
        }
    }

    public void Send(IReadOnlyList<EnginePacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        lock (Sync)
        {
            if (_state != SessionState.Open)
            {
                return;
            }

            for (var i = 0; i < packets.Count; i++)
            {
                if (!EnqueueLocked(packets[i]))
                {
                    return;
                }
            }

            WakeWriterLocked();
        }
    }

    /// <summary>
    /// Queues a packet and counts it against <see cref="EngineIoOptions.MaxBufferedBytes"/>; past
    /// that the queue is dropped at once and the session closed as a slow consumer (false returned,
    /// and every later packet dropped). A count and a comparison per packet: the cost of the cap.
    /// </summary>
    private bool EnqueueLocked(EnginePacket packet)
    {
        if (_overflowed)
        {
            return false;
        }

        (_outbox ??= []).Add(packet);
        _bufferedBytes += packet.IsBinary ? packet.Binary.Length : (packet.Text?.Length ?? 0) + 1;
        if (_bufferedBytes <= _server.Options.MaxBufferedBytes)
        {
            return true;
        }

        _overflowed = true;
        _outbox = null;
        // Closed from the thread pool: the sender holds its own session's locks here, and closing
        // tells the layer above, which two sessions flooding each other would then deadlock on.
        ThreadPool.UnsafeQueueUserWorkItem(static session => session.CloseAsSlowConsumer(), this, preferLocal: false);
        return false;
    }

    /// <summary>
    /// Ends a session whose client stopped reading: its WebSocket is aborted rather than closed,
    /// as a close frame would wait behind everything the client has not read.
    /// </summary>
    private void CloseAsSlowConsumer()
    {
        EngineIoLog.SlowConsumer(_server.Logger, Id, Transport, Volatile.Read(ref _bufferedBytes), _server.Options.MaxBufferedBytes);
        ServerMetrics.SlowConsumerCloses.Add(1);
        CloseNow(EngineCloseReason.SlowConsumer);
        WebSocketTransport? webSocket;
        lock (Sync)
        {
            webSocket = _webSocket;
        }

        webSocket?.Abort();
    }
}
