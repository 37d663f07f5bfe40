using System.Buffers;
using System.IO.Pipelines;

namespace Signaling.Server.EngineIo;

/// <summary>
/// A connection's pipes as the stream <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, System.Net.WebSockets.WebSocketCreationOptions)"/>
/// reads and writes. A zero-byte read waits for data without taking any of it, so an idle
/// WebSocket holds no buffer; the pipes belong to the connection and are not completed here.
/// Once disposed, reads return 0, the end of the stream.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    private volatile bool _disposed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_disposed)
        {
            return 0;
        }

        var result = await pipe.Input.ReadAsync(cancellationToken).ConfigureAwait(false);
        var data = result.Buffer;
        var count = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, count).CopyTo(buffer.Span);
        // Nothing taken (a zero-byte read, or the end): the next read sees the same data at once.
        pipe.Input.AdvanceTo(data.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        // A completed flush means the connection is gone; its reader sees that and ends the WebSocket.
        await pipe.Output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
        // Every write is flushed.
    }

    /// <summary>
    /// Ends a pending read (it returns 0, the end of the stream): an aborted WebSocket disposes
    /// its stream and counts on that to stop its reader. The connection itself is Kestrel's to close.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Every later read ends too: a WebSocket that gets 0 from a zero-byte read reads again.
            _disposed = true;
            pipe.Input.CancelPendingRead();
        }

        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Only asynchronous reads.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Only asynchronous writes.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
