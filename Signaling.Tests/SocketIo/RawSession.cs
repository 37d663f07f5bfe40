using System.Net;
using System.Net.WebSockets;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.SocketIo;

/// <summary>
/// A hand-driven Engine.IO v4 session (WebSocket or polling) for sending what no official client
/// sends. It never answers pings, so the server's heartbeat can be made to fail on purpose.
/// </summary>
internal sealed class RawSession : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly SocketIoTestHost _host;
    private readonly ClientWebSocket? _webSocket;
    private readonly Queue<string> _received = new();

    private RawSession(SocketIoTestHost host, ClientWebSocket? webSocket, string sid)
    {
        _host = host;
        _webSocket = webSocket;
        Sid = sid;
    }

    public string Sid { get; }

    public bool IsWebSocket => _webSocket is not null;

    /// <summary>Opens a session (no namespace joined yet); Engine.IO 3 (a protocol v4 client's) only over WebSocket.</summary>
    public static async Task<RawSession> OpenAsync(SocketIoTestHost host, bool webSocket, int engineIoVersion = 4)
    {
        Assert.That(webSocket || engineIoVersion == 4, Is.True, "polling sessions are Engine.IO 4");
        if (webSocket)
        {
            var socket = new ClientWebSocket();
            var uri = new UriBuilder(host.BaseUri) { Scheme = "ws", Path = "/socket.io/", Query = $"EIO={engineIoVersion}&transport=websocket" }.Uri;
            using var timeout = new CancellationTokenSource(SocketIoTestHost.WaitLimit);
            await socket.ConnectAsync(uri, timeout.Token);
            var session = new RawSession(host, socket, "");
            var open = await session.ReceiveAsync();
            return new RawSession(host, socket, SidOf(open));
        }

        var body = await host.Http.GetStringAsync("/socket.io/?EIO=4&transport=polling");
        return new RawSession(host, null, SidOf(body));
    }

    /// <summary>Opens a session and joins <c>/</c>; returns the session and the socket id the server gave.</summary>
    public static async Task<(RawSession Session, string SocketId)> ConnectAsync(SocketIoTestHost host, bool webSocket)
    {
        var session = await OpenAsync(host, webSocket);
        await session.SendAsync("40");
        var connect = await session.ReceiveAsync();
        Assert.That(connect, Does.StartWith("40{"), "CONNECT answer");
        return (session, (string)JObject.Parse(connect[2..])["sid"]!);
    }

    /// <summary>Sends one Engine.IO text packet, e.g. <c>42["e"]</c> (a Socket.IO EVENT in a MESSAGE).</summary>
    public async Task SendAsync(string packet)
    {
        if (_webSocket is not null)
        {
            await _webSocket.SendAsync(Encoding.UTF8.GetBytes(packet), WebSocketMessageType.Text, true, CancellationToken.None);
            return;
        }

        using var content = new StringContent(packet, Encoding.UTF8, "text/plain");
        using var response = await _host.Http.PostAsync(PollPath, content);
        // A POST the server refused because it already closed the session is no failure of the sender.
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.BadRequest), "POST status");
    }

    /// <summary>Sends one binary Engine.IO message (a Socket.IO attachment).</summary>
    public async Task SendBinaryAsync(byte[] data)
    {
        if (_webSocket is not null)
        {
            await _webSocket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
            return;
        }

        using var content = new StringContent("b" + Convert.ToBase64String(data), Encoding.UTF8, "text/plain");
        using var response = await _host.Http.PostAsync(PollPath, content);
        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.BadRequest), "POST status");
    }

    /// <summary>The next Engine.IO text packet the server sent, pings skipped (and left unanswered).</summary>
    public async Task<string> ReceiveAsync()
    {
        while (true)
        {
            var packet = await NextPacketAsync();
            if (packet is null)
            {
                Assert.Fail("The server ended the session while a packet was awaited.");
            }

            if (packet != "2")
            {
                return packet!;
            }
        }
    }

    /// <summary>The packets of one polling response, exactly as the server batched them.</summary>
    public async Task<string[]> PollAsync()
    {
        Assert.That(_webSocket, Is.Null, "polling sessions only");
        Assert.That(_received, Is.Empty, "no packet of an earlier response left unread");
        using var response = await _host.Http.GetAsync(PollPath);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync()).Split(RecordSeparator);
    }

    /// <summary>Reads until the server ends the session (close frame, close packet or unknown sid); fails after the wait limit.</summary>
    public async Task WaitForCloseAsync()
    {
        using var timeout = new CancellationTokenSource(SocketIoTestHost.WaitLimit);
        try
        {
            while (await NextPacketAsync(timeout.Token) is { } packet)
            {
                if (packet == "1")
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"The server did not end session {Sid} within {SocketIoTestHost.WaitLimit.TotalSeconds} s.");
        }
    }

    /// <summary>Closes the transport from the client side, as a vanished client would.</summary>
    public async Task CloseTransportAsync()
    {
        if (_webSocket is not null)
        {
            await _webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            return;
        }

        using var content = new StringContent("1", Encoding.UTF8, "text/plain");
        using var response = await _host.Http.PostAsync(PollPath, content);
    }

    public ValueTask DisposeAsync()
    {
        // Aborting rather than closing: a test that wanted an orderly close did it already.
        _webSocket?.Abort();
        _webSocket?.Dispose();
        return ValueTask.CompletedTask;
    }

    private string PollPath => $"/socket.io/?EIO=4&transport=polling&sid={Sid}";

    /// <summary>The next packet, or null once the server has ended the session.</summary>
    private async Task<string?> NextPacketAsync(CancellationToken cancellationToken = default)
    {
        if (_received.TryDequeue(out var queued))
        {
            return queued;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SocketIoTestHost.WaitLimit);
        if (_webSocket is not null)
        {
            return await NextWebSocketMessageAsync(_webSocket, timeout.Token);
        }

        using var response = await _host.Http.GetAsync(PollPath, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        foreach (var packet in (await response.Content.ReadAsStringAsync(timeout.Token)).Split(RecordSeparator))
        {
            _received.Enqueue(packet);
        }

        return _received.Dequeue();
    }

    private static async Task<string?> NextWebSocketMessageAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return result.MessageType == WebSocketMessageType.Text
                        ? Encoding.UTF8.GetString(message.ToArray())
                        : "b" + Convert.ToBase64String(message.ToArray());
                }
            }
        }
        catch (WebSocketException)
        {
            // The server dropped the connection without a close handshake: ended all the same.
            return null;
        }
    }

    private static string SidOf(string? openPacket)
    {
        Assert.That(openPacket, Does.StartWith("0{"), "OPEN packet");
        return (string)JObject.Parse(openPacket![1..])["sid"]!;
    }
}
