using System.Buffers;
using System.Net.Sockets;

namespace Signaling.Server.EngineIo;

/// <summary>
/// The stream of a WebSocket that <see cref="EngineIoSocketConnections"/> serves: a
/// <see cref="NetworkStream"/> that owns its socket, holds no buffer while idle and makes few
/// system calls while busy.
/// </summary>
/// <remarks>
/// Reads take whatever the kernel has, up to <see cref="ReadChunk"/> bytes, into a pooled
/// buffer that later reads drain (a WebSocket reads a frame header, then its payload: without
/// this, two calls per frame); when the kernel has nothing, the read waits in the caller's own
/// buffer through the <see cref="SocketReceiver"/>, so an idle connection holds nothing. A reset
/// connection reads as the end of the stream. Writes go through a <see cref="SocketSendQueue"/>:
/// the frames of one batch leave in one send.
/// </remarks>
internal sealed class SocketStream : NetworkStream
{
    private const int ReadChunk = 16 * 1024;

    private readonly Socket _socket;
    private readonly SocketReceiver _receiver;
    private readonly SocketSendQueue _sends;
    private byte[]? _received;
    private int _receivedStart;
    private int _receivedEnd;

    /// <param name="socket">The connection, which the stream owns from now on.</param>
    /// <param name="receiver">The receive state of the socket, if it was already waited on; disposed with the stream.</param>
    public SocketStream(Socket socket, SocketReceiver receiver)
        : base(socket, ownsSocket: true)
    {
        _socket = socket;
        _receiver = receiver;
        _sends = new SocketSendQueue(socket);
        // After the base constructor, which insists on a blocking socket: from here synchronous
        // socket calls return WouldBlock instead of waiting.
        _socket.Blocking = false;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_received is not null)
        {
            return ValueTask.FromResult(TakeReceived(buffer.Span));
        }

        if (buffer.IsEmpty || cancellationToken.CanBeCanceled)
        {
            return cancellationToken.CanBeCanceled ? base.ReadAsync(buffer, cancellationToken) : _receiver.ReceiveAsync(_socket, buffer);
        }

        var chunk = ArrayPool<byte>.Shared.Rent(ReadChunk);
        var received = _socket.Receive(chunk, SocketFlags.None, out var error);
        if (error == SocketError.Success && received > 0)
        {
            _received = chunk;
            _receivedStart = 0;
            _receivedEnd = received;
            return ValueTask.FromResult(TakeReceived(buffer.Span));
        }

        ArrayPool<byte>.Shared.Return(chunk);
        return error switch
        {
            SocketError.Success => ValueTask.FromResult(0),
            // Nothing there yet: wait without a buffer of our own.
            SocketError.WouldBlock => _receiver.ReceiveAsync(_socket, buffer),
            _ when SocketReceiver.IsEndOfStream(error) => ValueTask.FromResult(0),
            _ => ValueTask.FromException<int>(SocketReceiver.ReadFailure(error)),
        };
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _sends.WriteAsync(buffer.Span);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The last frames written (a close frame) may still be queued.
            _sends.FlushWithoutWaiting();
        }

        base.Dispose(disposing);
        if (disposing)
        {
            _receiver.Dispose();
            if (_received is not null)
            {
                ArrayPool<byte>.Shared.Return(_received);
                _received = null;
            }
        }
    }

    private int TakeReceived(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _receivedEnd - _receivedStart);
        _received.AsSpan(_receivedStart, count).CopyTo(destination);
        _receivedStart += count;
        if (_receivedStart == _receivedEnd)
        {
            ArrayPool<byte>.Shared.Return(_received!);
            _received = null;
        }

        return count;
    }
}
