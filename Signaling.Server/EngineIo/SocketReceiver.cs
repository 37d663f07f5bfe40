using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Signaling.Server.EngineIo;

/// <summary>
/// Receives from a socket as <see cref="NetworkStream"/> would, but reports a reset or aborted
/// connection as the end of the stream (0) instead of throwing: NetworkStream's exception carries a
/// stack trace rendered with file and line information, costly for something as common as a
/// client that vanishes. One per connection, reused for every receive, none of which may overlap.
/// </summary>
internal sealed class SocketReceiver() : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true), IValueTaskSource<int>
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

    private IOException? Failure() => SocketError == SocketError.Success || IsEndOfStream(SocketError) ? null : ReadFailure(SocketError);

    /// <summary>Errors that end the stream like a close: the peer reset the connection, or it was aborted here.</summary>
    public static bool IsEndOfStream(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.OperationAborted or SocketError.Shutdown;

    /// <summary>Any other receive error, as NetworkStream reports it.</summary>
    public static IOException ReadFailure(SocketError error) =>
        new($"Unable to read data from the transport connection: {error}.", new SocketException((int)error));
}
