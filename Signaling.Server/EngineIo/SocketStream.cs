using System.Net.Sockets;

namespace Signaling.Server.EngineIo;

/// <summary>
/// The stream of a WebSocket that <see cref="EngineIoSocketConnections"/> serves: a
/// <see cref="NetworkStream"/> that owns its socket, whose writes first try the kernel at once
/// without waiting. An Engine.IO frame nearly always fits in the send buffer, so most writes
/// finish there, and the socket's asynchronous send state (some 300 bytes kept for the life of
/// the connection once used) is only built for a peer that reads too slowly. Reads go through a
/// <see cref="SocketReceiver"/>: a reset connection is the end of the stream, not an exception.
/// </summary>
internal sealed class SocketStream : NetworkStream
{
    private readonly Socket _socket;
    private readonly SocketReceiver _receiver;

    /// <param name="socket">The connection, which the stream owns from now on.</param>
    /// <param name="receiver">The receive state of the socket, if it was already waited on; disposed with the stream.</param>
    public SocketStream(Socket socket, SocketReceiver receiver)
        : base(socket, ownsSocket: true)
    {
        _socket = socket;
        _receiver = receiver;
        // After the base constructor, which insists on a blocking socket: from here synchronous
        // socket calls return WouldBlock instead of waiting. This stream only reads asynchronously.
        _socket.Blocking = false;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.CanBeCanceled
            ? base.ReadAsync(buffer, cancellationToken)
            : _receiver.ReceiveAsync(_socket, buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var sent = _socket.Send(buffer.Span, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return base.WriteAsync(buffer, cancellationToken);
            }

            if (error != SocketError.Success)
            {
                // As NetworkStream reports it.
                return ValueTask.FromException(new IOException($"Unable to write data to the transport connection: {error}.", new SocketException((int)error)));
            }

            buffer = buffer[sent..];
        }

        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _receiver.Dispose();
        }
    }
}
