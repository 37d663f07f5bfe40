using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Tasks.Sources;
using Signaling.Protocol;
using Signaling.Protocol.EngineIo;

namespace Signaling.Server.EngineIo;

/// <summary>
/// One WebSocket of a session: a read loop that decodes one packet per message, and a single
/// writer loop that drains the session's outbox (no per-message locking or task per send).
/// Idle, it holds no buffer: it waits with a zero-byte receive and rents only while a message
/// arrives or a frame is written.
/// </summary>
internal sealed class WebSocketTransport : IValueTaskSource
{
    /// <summary>How long a closing WebSocket waits for the peer's close frame before aborting.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private const int InitialReceiveBuffer = 4096;

    private readonly WebSocket _socket;
    private readonly EngineSession _session;
    private readonly EngineIoServer _server;
    private readonly bool _supportsBinary;
    private readonly CancellationToken _aborted;

    // Guarded by the session's Sync lock.
    private EnginePacket? _probeReply;
    // The writer's wake-up, one for all its waits (a task per wait was an allocation per batch
    // written and one more object kept by every idle connection).
    private ManualResetValueTaskSourceCore<bool> _wake = new() { RunContinuationsAsynchronously = true };
    private bool _writerWaiting;
    private bool _shutdown;

    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private volatile bool _isActive;
    private Task _readLoop = Task.CompletedTask;

    public WebSocketTransport(EngineIoServer server, EngineSession session, WebSocket socket, bool supportsBinary, CancellationToken aborted)
    {
        _server = server;
        _session = session;
        _socket = socket;
        _supportsBinary = supportsBinary;
        _aborted = aborted;
    }

    internal enum WriterStep
    {
        Wait,
        Write,
        WriteThenClose,
    }

    /// <summary>Whether this WebSocket carries the session (false while it is only probing for an upgrade).</summary>
    public bool IsActive
    {
        get => _isActive;
        set => _isActive = value;
    }

    /// <summary>
    /// Starts the reader and the writer; the task ends when both have, after which the WebSocket
    /// is disposed and <see cref="EngineIoServer"/> no longer tracks it. An HTTP request carrying
    /// the WebSocket must stay open that long.
    /// </summary>
    /// <remarks>
    /// The writer finishes last (it waits for the reader as part of the close), so its task is
    /// the whole run: an idle connection keeps two waiting loops and nothing that waits on them.
    /// </remarks>
    public Task RunAsync()
    {
        _readLoop = ReadLoopAsync();
        return WriteLoopAsync();
    }

    /// <summary>Wakes the writer; the caller holds the session's Sync lock.</summary>
    internal void SignalLocked()
    {
        if (_writerWaiting)
        {
            _writerWaiting = false;
            _wake.SetResult(true);
        }
    }

    /// <summary>Queues the upgrade probe's reply, which goes out before the session's own packets.</summary>
    internal void EnqueueControlLocked(EnginePacket packet)
    {
        _probeReply = packet;
        SignalLocked();
    }

    /// <summary>Ends this WebSocket without an Engine.IO close packet: the writer sends a close frame and stops.</summary>
    internal void Shutdown()
    {
        lock (_session.Sync)
        {
            _shutdown = true;
            SignalLocked();
        }
    }

    /// <summary>Aborts at once (server shutdown that ran out of time).</summary>
    internal void Abort() => _socket.Abort();

    private async Task ReadLoopAsync()
    {
        var reason = "transport close";
        try
        {
            while (true)
            {
                // Wait for the next message without holding a buffer.
                var head = await _socket.ReceiveAsync(Memory<byte>.Empty, _aborted).ConfigureAwait(false);
                if (head.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.CloseStatus == WebSocketCloseStatus.EndpointUnavailable && IsActive)
                    {
                        _session.ClientLeft = true;
                    }
                    break;
                }

                var packet = await ReadMessageAsync(head).ConfigureAwait(false);
                if (packet is not { } received)
                {
                    break;
                }

                if (IsActive)
                {
                    _session.Receive(received);
                }
                else
                {
                    _session.ReceiveOnUpgrade(this, received);
                }
            }
        }
        catch (ProtocolException e)
        {
            if (IsActive)
            {
                _session.ClosePerParseError(e.Message);
            }

            reason = "parse error";
        }
        catch (MessageTooLargeException)
        {
            _closeStatus = WebSocketCloseStatus.MessageTooBig;
            reason = "transport error";
        }
        catch (Exception e) when (e is WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely }
            || (e is OperationCanceledException && _aborted.IsCancellationRequested))
        {
            // The peer went away without a close frame: the reference reports this as a transport close.
            reason = "transport close";
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            EngineIoLog.TransportFailed(_server.Logger, e, _session.Id, EngineIoOptions.WebSocketTransport);
            reason = "transport error";
        }

        _session.OnWebSocketEnded(this, reason);
        Shutdown();
    }

    private async ValueTask<EnginePacket?> ReadMessageAsync(ValueWebSocketReceiveResult head)
    {
        var maxSize = _server.Options.MaxHttpBufferSize;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(InitialReceiveBuffer, (long)maxSize + 1));
        try
        {
            var count = 0;
            var endOfMessage = head.EndOfMessage;
            while (!endOfMessage)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)maxSize + 1));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), _aborted).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                count += result.Count;
                endOfMessage = result.EndOfMessage;
                if (count > maxSize)
                {
                    throw new MessageTooLargeException();
                }
            }

            return head.MessageType == WebSocketMessageType.Text
                ? EnginePacketCodec.DecodeUtf8(buffer.AsSpan(0, count), _session.Version)
                : EnginePacketCodec.DecodeBinary(buffer.AsSpan(0, count), _session.Version);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (true)
            {
                ValueTask? wait = null;
                WriterStep step;
                EnginePacket? reply;
                List<EnginePacket>? batch;
                lock (_session.Sync)
                {
                    if (_shutdown)
                    {
                        break;
                    }

                    reply = _probeReply;
                    _probeReply = null;
                    step = _session.CollectForWebSocketLocked(this, out batch);
                    if (step == WriterStep.Wait && reply is null)
                    {
                        _wake.Reset();
                        _writerWaiting = true;
                        wait = new ValueTask(this, _wake.Version);
                    }
                }

                if (wait is { } wake)
                {
                    await wake.ConfigureAwait(false);
                    continue;
                }

                if (reply is { } probeAnswer)
                {
                    await WriteAsync(probeAnswer).ConfigureAwait(false);
                }

                // The session's own queue, handed over whole: nothing is copied, and an idle
                // connection keeps no list on either side.
                foreach (var packet in batch ?? [])
                {
                    await WriteAsync(packet).ConfigureAwait(false);
                }

                if (step == WriterStep.WriteThenClose)
                {
                    await WriteAsync(EnginePacket.Create(EnginePacketType.Close)).ConfigureAwait(false);
                    // The session is over once its close packet is out, whatever the peer does with the close frame.
                    _session.OnGracefulCloseWritten();
                    break;
                }

            }

            await CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            EngineIoLog.TransportFailed(_server.Logger, e, _session.Id, EngineIoOptions.WebSocketTransport);
            _socket.Abort();
            _session.OnWebSocketEnded(this, "transport error");
        }
        finally
        {
            await _readLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _socket.Dispose();
            _server.Untrack(this);
        }
    }

    private async ValueTask WriteAsync(EnginePacket packet)
    {
        var version = _session.Version;
        if (packet.IsBinary && _supportsBinary && version == EngineIoVersion.V4)
        {
            // v4 binary frames are the bytes themselves: no copy.
            await _socket.SendAsync(packet.Binary, WebSocketMessageType.Binary, endOfMessage: true, _aborted).ConfigureAwait(false);
            return;
        }

        byte[] buffer;
        int length;
        WebSocketMessageType type;
        if (packet.IsBinary && _supportsBinary)
        {
            buffer = ArrayPool<byte>.Shared.Rent(EnginePacketCodec.GetBinaryFrameLength(packet, version));
            length = EnginePacketCodec.EncodeBinary(packet, version, buffer);
            type = WebSocketMessageType.Binary;
        }
        else if (packet.IsBinary)
        {
            // A base64-only client gets binary messages in their text form.
            var text = EnginePacketCodec.EncodeText(packet, version);
            buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(text));
            length = Encoding.UTF8.GetBytes(text, buffer);
            type = WebSocketMessageType.Text;
        }
        else
        {
            buffer = ArrayPool<byte>.Shared.Rent(EnginePacketCodec.GetUtf8ByteCount(packet));
            length = EnginePacketCodec.EncodeUtf8(packet, buffer);
            type = WebSocketMessageType.Text;
        }

        try
        {
            await _socket.SendAsync(buffer.AsMemory(0, length), type, endOfMessage: true, _aborted).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task CloseAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseGrace, _server.Time);
                await _socket.CloseOutputAsync(_closeStatus, null, timeout.Token).ConfigureAwait(false);
            }

            // Give the peer a moment to answer the close frame, which ends the read loop.
            await _readLoop.WaitAsync(CloseGrace, _server.Time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            // The peer is gone or silent; aborting below is all that is left to do.
        }
        finally
        {
            if (!_readLoop.IsCompleted)
            {
                _socket.Abort();
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => _wake.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _wake.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wake.OnCompleted(continuation, state, token, flags);

    /// <summary>A message longer than <see cref="EngineIoOptions.MaxHttpBufferSize"/>.</summary>
    private sealed class MessageTooLargeException : Exception;
}
