using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Signaling.Server.EngineIo;

/// <summary>
/// The stream of a WebSocket that <see cref="EngineIoSocketConnections"/> serves: a
/// <see cref="NetworkStream"/> that owns its socket, whose writes first try the kernel at once
/// without waiting. An Engine.IO frame nearly always fits in the send buffer, so most writes
/// finish there, and the socket's asynchronous send state (some 300 bytes kept for the life of
/// the connection once used) is only built for a peer that reads too slowly. Reads end with 0,
/// the end of the stream, when the peer resets the connection: NetworkStream throws there, with a
/// stack trace rendered with file and line information, and clients that vanish are common.
/// </summary>
internal sealed class SocketStream : NetworkStream
{
    private readonly Socket _socket;
    private readonly Receiver _receiver = new();

    public SocketStream(Socket socket)
        : base(socket, ownsSocket: true)
    {
        _socket = socket;
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

    /// <summary>A receive that reports a reset or an aborted socket as the end of the stream instead of throwing.</summary>
    private sealed class Receiver() : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true), IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _completion;

        public ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> buffer)
        {
            _completion.Reset();
            SetBuffer(buffer);
            if (socket.ReceiveAsync(this))
            {
                return new ValueTask<int>(this, _completion.Version);
            }

            return Failure() is { } failure ? ValueTask.FromException<int>(failure) : ValueTask.FromResult(Received());
        }

        protected override void OnCompleted(SocketAsyncEventArgs e)
        {
            // Completions arrive on a thread-pool thread: the reader continues there.
            if (Failure() is { } failure)
            {
                _completion.SetException(failure);
            }
            else
            {
                _completion.SetResult(Received());
            }
        }

        public int GetResult(short token) => _completion.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _completion.OnCompleted(continuation, state, token, flags);

        private int Received() => SocketError == SocketError.Success ? BytesTransferred : 0;

        private IOException? Failure() => SocketError is SocketError.Success
            or SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.OperationAborted or SocketError.Shutdown
            ? null
            : new IOException($"Unable to read data from the transport connection: {SocketError}.", new SocketException((int)SocketError));
    }
}
