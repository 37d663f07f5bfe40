using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Signaling.LoadGen;

/// <summary>
/// One Socket.IO client on the main namespace, spoken by hand over a raw TCP socket: its own
/// WebSocket upgrade and framing, Engine.IO 4, Socket.IO 5. No client library, so the generator
/// spends its CPU on the benchmark's frames and little else: each receive reads whatever the
/// server has sent (often many frames) and each send can carry several pre-encoded frames.
/// Answers the server's Engine.IO pings; hands events to a sink.
/// </summary>
public sealed class EioConnection : IAsyncDisposable
{
    private const int InitialBufferSize = 16 * 1024;
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int IpProtocolLevel = 0; // IPPROTO_IP
    private const int IpBindAddressNoPort = 24; // IP_BIND_ADDRESS_NO_PORT, Linux

    private static readonly byte[] ConnectFrame = WebSocketFrame.Encode(WebSocketFrame.Text, "40"u8);
    private static readonly byte[] EnginePongFrame = WebSocketFrame.Encode(WebSocketFrame.Text, "3"u8);

    private readonly Socket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private byte[] _fragments = [];
    private int _fragmentsLength;
    private Task _receiveLoop = Task.CompletedTask;
    private volatile IEventSink _sink = IgnoreEvents.Instance;
    private bool _receiving;
    private int _pingsAnswered;
    private volatile bool _closed;

    private EioConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>The Socket.IO socket id the server gave this client (what peers address).</summary>
    public string SocketId { get; private set; } = "";

    public byte[] SocketIdUtf8 { get; private set; } = [];

    public int PingsAnswered => Volatile.Read(ref _pingsAnswered);

    /// <summary>Why the receive loop ended, when it has.</summary>
    public string? CloseReason { get; private set; }

    public bool IsOpen => !_closed;

    /// <summary>
    /// Connects, upgrades to WebSocket, reads the Engine.IO open packet, sends the Socket.IO
    /// CONNECT for <c>/</c> and waits for the server's answer carrying the socket id.
    /// </summary>
    /// <param name="sourceAddress">The local IPv4 address to connect from; null lets the system choose.</param>
    public static async Task<EioConnection> ConnectAsync(Uri server, IPAddress? sourceAddress, CancellationToken cancellationToken)
    {
        var socket = sourceAddress is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new EioConnection(socket);
        try
        {
            if (sourceAddress is not null)
            {
                // IP_BIND_ADDRESS_NO_PORT: the port is chosen at connect, per destination, instead
                // of at bind from the address's ports free for any destination.
                socket.SetRawSocketOption(IpProtocolLevel, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(sourceAddress, 0));
            }

            await socket.ConnectAsync(server.Host, server.Port, cancellationToken);
            await connection.UpgradeAsync(server, cancellationToken);
            var open = await connection.ReceiveHandshakeMessageAsync(cancellationToken);
            if (!open.StartsWith('0'))
            {
                throw new InvalidDataException($"expected an Engine.IO open packet, got '{Clip(open)}'");
            }

            await connection.SendAsync(ConnectFrame, cancellationToken);
            while (true)
            {
                var message = await connection.ReceiveHandshakeMessageAsync(cancellationToken);
                if (message == "2")
                {
                    await connection.SendAsync(EnginePongFrame, cancellationToken);
                    continue;
                }

                if (!message.StartsWith("40", StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"expected a Socket.IO CONNECT answer, got '{Clip(message)}'");
                }

                using var json = JsonDocument.Parse(message.AsMemory(2));
                connection.SocketId = json.RootElement.GetProperty("sid").GetString()
                    ?? throw new InvalidDataException("CONNECT answer without a sid");
                connection.SocketIdUtf8 = Encoding.UTF8.GetBytes(connection.SocketId);
                return connection;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the receive loop, after the sink's state is ready; when it runs already, the events
    /// that follow go to the new sink (e.g. relayed candidates after the presence lists).
    /// </summary>
    public void StartReceiving(IEventSink sink)
    {
        _sink = sink;
        if (!_receiving)
        {
            _receiving = true;
            _receiveLoop = Task.Run(ReceiveLoopAsync);
        }
    }

    /// <summary>
    /// Sends frames made by <see cref="WebSocketFrame.Encode"/> (one or several back to back).
    /// Sends are serialised because the receive loop answers pings on the same socket.
    /// <paramref name="frames"/> must not change until the returned task completes.
    /// </summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            while (!frames.IsEmpty)
            {
                var sent = await _socket.SendAsync(frames, SocketFlags.None, cancellationToken);
                frames = frames[sent..];
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// <see cref="SendAsync"/> for a thread of its own that paces messages: a blocking write is
    /// one system call with no continuation to schedule, so the send time is not delayed by the
    /// thread pool.
    /// </summary>
    public void Send(ReadOnlySpan<byte> frames)
    {
        _sendLock.Wait();
        try
        {
            while (!frames.IsEmpty)
            {
                frames = frames[_socket.Send(frames, SocketFlags.None)..];
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // No closing handshake: after a scenario nobody waits for the server's close frame, and
        // thousands of graceful closes would only slow the teardown.
        _closed = true;
        _socket.Dispose();
        await _receiveLoop;
        _sendLock.Dispose();
    }

    private async Task UpgradeAsync(Uri server, CancellationToken cancellationToken)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {server.Authority}\r\n" +
            $"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await SendAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        int headersEnd;
        while ((headersEnd = _buffer.AsSpan(0, _end).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }

        var headers = Encoding.ASCII.GetString(_buffer, 0, headersEnd);
        var expectedAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        if (!headers.StartsWith("HTTP/1.1 101", StringComparison.Ordinal)
            || !headers.Contains($"\r\nSec-WebSocket-Accept: {expectedAccept}", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"WebSocket upgrade refused: '{headers.Split("\r\n")[0]}'");
        }

        _start = headersEnd + 4;
    }

    /// <summary>Reads more bytes after <see cref="_end"/>, compacting or growing the buffer first.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (received == 0)
        {
            throw new EndOfStreamException("the server closed the connection");
        }

        _end += received;
    }

    /// <summary>
    /// The next whole text message in the buffer, as (offset, length) in <see cref="_buffer"/>
    /// or in <see cref="_fragments"/>; false when more bytes must be read first. Control frames are
    /// answered on the way.
    /// </summary>
    private bool TryTakeMessage(out byte[] source, out int offset, out int length, out byte controlOpcode)
    {
        source = _buffer;
        offset = 0;
        length = 0;
        controlOpcode = 0;
        if (!WebSocketFrame.TryReadHeader(_buffer.AsSpan(_start, _end - _start), out var final, out var opcode, out var headerLength, out var payloadLength))
        {
            return false;
        }

        if (payloadLength > int.MaxValue / 2)
        {
            throw new InvalidDataException($"frame of {payloadLength} bytes");
        }

        if (_end - _start < headerLength + payloadLength)
        {
            if (headerLength + payloadLength > _buffer.Length)
            {
                Array.Resize(ref _buffer, (int)Math.Max(_buffer.Length * 2L, headerLength + payloadLength));
            }

            return false;
        }

        var payloadStart = _start + headerLength;
        _start = payloadStart + (int)payloadLength;
        if (opcode >= WebSocketFrame.Close)
        {
            controlOpcode = opcode;
            offset = payloadStart;
            length = (int)payloadLength;
            return true;
        }

        if (final && opcode == WebSocketFrame.Text)
        {
            offset = payloadStart;
            length = (int)payloadLength;
            return true;
        }

        // A fragmented message: gather the pieces until the final continuation frame.
        if (_fragmentsLength + payloadLength > _fragments.Length)
        {
            Array.Resize(ref _fragments, (int)Math.Max(_fragments.Length * 2L, _fragmentsLength + payloadLength));
        }

        _buffer.AsSpan(payloadStart, (int)payloadLength).CopyTo(_fragments.AsSpan(_fragmentsLength));
        _fragmentsLength += (int)payloadLength;
        if (!final)
        {
            return TryTakeMessage(out source, out offset, out length, out controlOpcode);
        }

        source = _fragments;
        length = _fragmentsLength;
        _fragmentsLength = 0;
        return true;
    }

    private async Task<string> ReceiveHandshakeMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (TryTakeMessage(out var source, out var offset, out var length, out var controlOpcode))
            {
                switch (controlOpcode)
                {
                    case 0:
                        return Encoding.UTF8.GetString(source, offset, length);
                    case WebSocketFrame.Close:
                        throw new InvalidDataException("the server closed the WebSocket during the handshake");
                    case WebSocketFrame.Ping:
                        await SendAsync(WebSocketFrame.Encode(WebSocketFrame.Pong, source.AsSpan(offset, length)), cancellationToken);
                        break;
                }
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                while (TryTakeMessage(out var source, out var offset, out var length, out var controlOpcode))
                {
                    if (controlOpcode == WebSocketFrame.Close)
                    {
                        CloseReason = "the server sent a WebSocket close frame";
                        return;
                    }

                    if (controlOpcode == WebSocketFrame.Ping)
                    {
                        await SendAsync(WebSocketFrame.Encode(WebSocketFrame.Pong, source.AsSpan(offset, length)), CancellationToken.None);
                    }
                    else if (controlOpcode == 0 && !await DispatchAsync(_sink, source, offset, length))
                    {
                        return;
                    }
                }

                // No token: the loop ends when DisposeAsync closes the socket.
                await FillAsync(CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or EndOfStreamException or InvalidDataException)
        {
            CloseReason ??= exception.Message;
        }
        finally
        {
            _closed = true;
        }
    }

    /// <summary>Handles one Engine.IO text packet; false when it ends the session.</summary>
    private async ValueTask<bool> DispatchAsync(IEventSink sink, byte[] source, int offset, int length)
    {
        var packet = source.AsSpan(offset, length);
        if (packet.StartsWith("42"u8))
        {
            sink.OnEvent(packet);
            return true;
        }

        if (packet.SequenceEqual("2"u8))
        {
            await SendAsync(EnginePongFrame, CancellationToken.None);
            Interlocked.Increment(ref _pingsAnswered);
            return true;
        }

        if (packet.StartsWith("1"u8) || packet.StartsWith("41"u8))
        {
            CloseReason = $"the server sent '{Clip(Encoding.UTF8.GetString(packet))}'";
            return false;
        }

        return true;
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
