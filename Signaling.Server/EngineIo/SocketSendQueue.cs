using System.Buffers;
using System.Net.Sockets;

namespace Signaling.Server.EngineIo;

/// <summary>
/// The sending side of a <see cref="SocketStream"/>: writes are gathered and go out together, in
/// one send once the thread-pool work item that wrote them has finished. A WebSocket writes one
/// frame per call, and a send per frame was most of the server's CPU per relayed message (the
/// kernel delivers on loopback in the sender's time); now a batch of frames costs one send.
/// </summary>
/// <remarks>
/// Nothing is held while nothing is pending: the buffer is rented per batch. Sends do not wait
/// when the kernel has room (nearly always), so the socket's own asynchronous send state is only
/// built for a peer that reads too slowly; while such a send is in progress, writes wait for it,
/// as writes to a full socket would.
/// </remarks>
internal sealed class SocketSendQueue(Socket socket) : IThreadPoolWorkItem
{
    private const int MinimumBuffer = 4096;

    // A batch this large goes out at once, from the writer's thread: its first frames should not
    // wait for the rest, nor the buffer keep growing.
    private const int SendAtOnce = 64 * 1024;

    private readonly Lock _sync = new();
    private byte[]? _pending;
    private int _pendingLength;
    private bool _flushQueued;
    // One sender at a time, or frames could overtake each other: set while a send is in progress
    // on some thread; that sender takes whatever is appended meanwhile.
    private bool _sending;
    // Set while the send in progress waits for the kernel, which was full.
    private TaskCompletionSource? _drained;
    private IOException? _failure;

    /// <summary>Queues <paramref name="data"/>; completes at once unless the kernel is full.</summary>
    public ValueTask WriteAsync(ReadOnlySpan<byte> data)
    {
        lock (_sync)
        {
            if (_failure is not null)
            {
                return ValueTask.FromException(_failure);
            }

            Append(data);
            if (_drained is not null)
            {
                return new ValueTask(_drained.Task);
            }

            if (_sending || (_flushQueued && _pendingLength < SendAtOnce))
            {
                // The sender in progress, or the one queued, takes it.
                return ValueTask.CompletedTask;
            }

            if (_pendingLength < SendAtOnce)
            {
                _flushQueued = true;
                // Runs once the current work item (the writer that is writing a batch) is done.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
                return ValueTask.CompletedTask;
            }
        }

        Send();
        lock (_sync)
        {
            return _drained is { } drained ? new ValueTask(drained.Task) : ValueTask.CompletedTask;
        }
    }

    void IThreadPoolWorkItem.Execute() => Send();

    /// <summary>Sends what is pending, unless another sender is at it.</summary>
    private void Send()
    {
        byte[] buffer;
        int length;
        lock (_sync)
        {
            _flushQueued = false;
            if (_sending || !TakePendingLocked(out buffer, out length))
            {
                return;
            }

            _sending = true;
        }

        while (true)
        {
            var sent = SendWithoutWaiting(buffer, 0, length, out var error);
            if (error == SocketError.WouldBlock)
            {
                lock (_sync)
                {
                    _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                _ = DrainAsync(buffer, sent, length);
                return;
            }

            ArrayPool<byte>.Shared.Return(buffer);
            if (error != SocketError.Success)
            {
                Fail(error);
                return;
            }

            lock (_sync)
            {
                if (!TakePendingLocked(out buffer, out length))
                {
                    _sending = false;
                    return;
                }
            }
        }
    }

    /// <summary>Sends what is pending if the kernel takes it at once (the connection is closing).</summary>
    public void FlushWithoutWaiting()
    {
        byte[] buffer;
        int length;
        lock (_sync)
        {
            if (_sending || !TakePendingLocked(out buffer, out length))
            {
                return;
            }
        }

        SendWithoutWaiting(buffer, 0, length, out _);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private int SendWithoutWaiting(byte[] buffer, int offset, int length, out SocketError error)
    {
        error = SocketError.Success;
        var start = offset;
        try
        {
            while (offset < length && error == SocketError.Success)
            {
                offset += socket.Send(buffer.AsSpan(offset, length - offset), SocketFlags.None, out error);
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile (this runs on a thread-pool thread of its own: nothing may escape).
            error = SocketError.OperationAborted;
        }

        return offset - start;
    }

    private async Task DrainAsync(byte[] buffer, int offset, int length)
    {
        try
        {
            while (true)
            {
                while (offset < length)
                {
                    offset += await socket.SendAsync(buffer.AsMemory(offset, length - offset), SocketFlags.None).ConfigureAwait(false);
                }

                ArrayPool<byte>.Shared.Return(buffer);
                TaskCompletionSource drained;
                lock (_sync)
                {
                    if (TakePendingLocked(out buffer, out length))
                    {
                        offset = 0;
                        continue;
                    }

                    drained = _drained!;
                    _drained = null;
                    _sending = false;
                }

                drained.SetResult();
                return;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            var error = e is SocketException socketError ? socketError.SocketErrorCode : SocketError.OperationAborted;
            Fail(error);
        }
    }

    private void Fail(SocketError error)
    {
        TaskCompletionSource? drained;
        IOException failure;
        lock (_sync)
        {
            failure = _failure ??= new IOException($"Unable to write data to the transport connection: {error}.", new SocketException((int)error));
            drained = _drained;
            _drained = null;
            _sending = false;
            if (_pending is not null)
            {
                ArrayPool<byte>.Shared.Return(_pending);
                _pending = null;
                _pendingLength = 0;
            }
        }

        drained?.SetException(failure);
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        var needed = _pendingLength + data.Length;
        if (_pending is null || _pending.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumBuffer, Math.Max(needed, (_pending?.Length ?? 0) * 2)));
            if (_pending is not null)
            {
                _pending.AsSpan(0, _pendingLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = larger;
        }

        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
    }

    private bool TakePendingLocked(out byte[] buffer, out int length)
    {
        buffer = _pending!;
        length = _pendingLength;
        _pending = null;
        _pendingLength = 0;
        return buffer is not null;
    }
}
