using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Signaling.Server.EngineIo;
using Signaling.Tests.Infrastructure;
using static Signaling.Tests.EngineIo.WebSocketTestClient;

namespace Signaling.Tests.EngineIo;

/// <summary>
/// Engine.IO WebSockets served straight from accepted sockets, before Kestrel, over raw loopback
/// connections: what is taken there, and that everything else reaches ASP.NET byte for byte.
/// Kestrel marks its own answers with <c>Server: Kestrel</c>; the 101 sent from the socket has
/// none, which is how these tests tell who answered.
/// </summary>
public sealed class EngineIoSocketConnectionsTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
    // RFC 6455 section 1.3: the accept value of the key above.
    private const string Accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_websocket_handshake_is_answered_from_the_connection_and_runs_the_session()
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(WebSocketRequest("/engine.io/?EIO=4&transport=websocket"));
        var head = await connection.ReadHeadAsync();
        Assert.Multiple(() =>
        {
            Assert.That(head.Status, Is.EqualTo(101));
            Assert.That(head.Header("Sec-WebSocket-Accept"), Is.EqualTo(Accept));
            Assert.That(head.Header("Upgrade"), Is.EqualTo("websocket"));
            Assert.That(head.Header("Server"), Is.Null, "answered from the socket");
        });

        using var socket = connection.AsWebSocket();
        var sid = SidOf(await ReceiveTextAsync(socket));
        await SendTextAsync(socket, "4hello");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4hello"));
        Assert.That(host.Handler.LastOpened?.Handshake.Headers["sec-websocket-key"], Is.EqualTo(Key));
        Assert.That(host.Handler.LastOpened?.Handshake.Url, Is.EqualTo("/engine.io/?EIO=4&transport=websocket"));
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.That(await host.Handler.ClosedAsync(sid), Is.EqualTo("transport close"));
        Assert.That(await host.WaitForNoSessionsAsync(), Is.Zero);
    }

    // The session keeps its headers as a flat list and no query at all, and builds both
    // dictionaries when a handler first asks: they must show what ASP.NET's request did.
    [TestCase(EngineIoEntry.Connection)]
    [TestCase(EngineIoEntry.HttpPipeline)]
    public async Task The_handshake_shows_the_query_and_headers_with_repeats_joined_by_commas(EngineIoEntry entry)
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: entry);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(WebSocketRequest("/engine.io/?EIO=4&transport=websocket&tag=a&tag=b&name=r%201", extraHeaders: "X-Tag: 1\r\nx-tag: 2\r\n"));
        Assert.That((await connection.ReadHeadAsync()).Status, Is.EqualTo(101));
        using var socket = connection.AsWebSocket();
        SidOf(await ReceiveTextAsync(socket));

        var handshake = host.Handler.LastOpened!.Handshake;
        Assert.Multiple(() =>
        {
            Assert.That(handshake.Query, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["EIO"] = "4",
                ["transport"] = "websocket",
                ["tag"] = "a,b",
                ["name"] = "r 1",
            }));
            Assert.That(handshake.Query.ContainsKey("TAG"), Is.False, "query keys are case-sensitive");
            Assert.That(handshake.Headers["X-TAG"], Is.EqualTo("1,2"));
            Assert.That(handshake.Headers["host"], Is.EqualTo("test"));
            Assert.That(handshake.Headers["Sec-WebSocket-Key"], Is.EqualTo(Key));
            Assert.That(handshake.Headers.Keys, Is.EquivalentTo(new[] { "Host", "Connection", "Upgrade", "Sec-WebSocket-Version", "Sec-WebSocket-Key", "X-Tag" }).Using((IEqualityComparer<string>)StringComparer.OrdinalIgnoreCase));
        });
    }

    [TestCase(EngineIoEntry.Connection)]
    [TestCase(EngineIoEntry.HttpPipeline)]
    public async Task Sessions_share_the_handshake_strings_they_have_in_common(EngineIoEntry entry)
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: entry);
        var handshakes = new List<HandshakeInfo>();
        foreach (var key in new[] { Key, "AQIDBAUGBwgJCgsMDQ4PEA==" })
        {
            using var connection = await RawConnection.OpenAsync(host.BaseUri);
            await connection.WriteAsync(WebSocketRequest("/engine.io/?EIO=4&transport=websocket", key: key, extraHeaders: "User-Agent: test agent/1.0\r\n"));
            Assert.That((await connection.ReadHeadAsync()).Status, Is.EqualTo(101));
            using var socket = connection.AsWebSocket();
            SidOf(await ReceiveTextAsync(socket));
            handshakes.Add(host.Handler.LastOpened!.Handshake);
        }

        var (first, second) = (handshakes[0], handshakes[1]);
        Assert.Multiple(() =>
        {
            Assert.That(second.Url, Is.SameAs(first.Url));
            Assert.That(second.Headers["Host"], Is.SameAs(first.Headers["Host"]));
            Assert.That(second.Headers["User-Agent"], Is.SameAs(first.Headers["User-Agent"]));
            Assert.That(second.Headers["Sec-WebSocket-Key"], Is.EqualTo("AQIDBAUGBwgJCgsMDQ4PEA=="), "each keeps what is its own");
        });
    }

    [Test]
    public async Task A_head_sent_byte_by_byte_with_a_frame_right_behind_it_is_read_whole()
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        var request = WebSocketRequest("/engine.io?EIO=4&transport=websocket");
        foreach (var b in request[..^1])
        {
            await connection.WriteAsync([b]);
        }

        // The last byte of the head and a masked "4early" frame (all-zero mask) in one write.
        var frame = new byte[] { 0x81, 0x80 | 6, 0, 0, 0, 0 }.Concat("4early"u8.ToArray());
        await connection.WriteAsync([request[^1], .. frame]);
        var head = await connection.ReadHeadAsync();
        Assert.That(head.Status, Is.EqualTo(101));
        Assert.That(head.Header("Server"), Is.Null);
        using var socket = connection.AsWebSocket();
        await ReceiveTextAsync(socket);
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4early"));
    }

    [TestCase("/engine.io/?EIO=4&transport=websocket", "12", Key, 400, "{\"code\":3,\"message\":\"Bad request\"}")]
    [TestCase("/engine.io/?EIO=4&transport=websocket", "13", "c2hvcnQ=", 400, "{\"code\":3,\"message\":\"Bad request\"}")]
    [TestCase("/engine.io/?EIO=4&transport=websocket&sid=nope", "13", Key, 400, "{\"code\":1,\"message\":\"Session ID unknown\"}")]
    [TestCase("/engine.io/?EIO=5&transport=websocket", "13", Key, 400, "{\"code\":5,\"message\":\"Unsupported protocol version\"}")]
    [TestCase("/engine.io/?EIO=4&transport=carrier-pigeon", "13", Key, 400, "{\"code\":0,\"message\":\"Transport unknown\"}")]
    public async Task Requests_it_does_not_take_get_the_http_pipelines_answer(string target, string version, string key, int status, string body)
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(WebSocketRequest(target, version, key));
        var head = await connection.ReadHeadAsync();
        AssertAnsweredByAspNet(head, status);
        Assert.That(await connection.ReadBodyAsync(head), Is.EqualTo(body));
        Assert.That(host.Server.SessionCount, Is.Zero);
    }

    [Test]
    public async Task Other_websocket_requests_reach_asp_net()
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection, map: app => app.Map("/other", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await SendTextAsync(socket, "from asp.net");
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }));
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(WebSocketRequest("/other?EIO=4&transport=websocket"));
        var head = await connection.ReadHeadAsync();
        AssertAnsweredByAspNet(head, 101);
        using var socket = connection.AsWebSocket();
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("from asp.net"));
    }

    [Test]
    public async Task A_keep_alive_connection_serves_every_request_after_a_polling_first_one()
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(Encoding.ASCII.GetBytes("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: test\r\n\r\n"));
        var open = await connection.ReadBodyAsync(await connection.ReadHeadAsync());
        var sid = SidOf(open);
        await connection.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /engine.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\n4hello"));
        Assert.That(await connection.ReadBodyAsync(await connection.ReadHeadAsync()), Is.EqualTo("ok"));
        // A WebSocket request later on the same connection is ASP.NET's too, and works there.
        await connection.WriteAsync(WebSocketRequest($"/engine.io/?EIO=4&transport=websocket&sid={sid}"));
        var head = await connection.ReadHeadAsync();
        AssertAnsweredByAspNet(head, 101);
        using var socket = connection.AsWebSocket();
        await SendTextAsync(socket, "2probe");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("3probe"));
    }

    [Test]
    public async Task A_head_longer_than_the_peek_window_is_left_to_asp_net_and_its_limits()
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection);
        var filler = new string('f', 20_000);
        using (var connection = await RawConnection.OpenAsync(host.BaseUri))
        {
            await connection.WriteAsync(WebSocketRequest("/engine.io/?EIO=4&transport=websocket", extraHeaders: $"X-Filler: {filler}\r\n"));
            var head = await connection.ReadHeadAsync();
            AssertAnsweredByAspNet(head, 101);
            using var socket = connection.AsWebSocket();
            Assert.That(await ReceiveTextAsync(socket), Does.StartWith("0{"));
        }

        using (var connection = await RawConnection.OpenAsync(host.BaseUri))
        {
            await connection.WriteAsync(WebSocketRequest("/engine.io/?EIO=4&transport=websocket", extraHeaders: $"X-A: {filler}\r\nX-B: {filler}\r\n"));
            Assert.That((await connection.ReadHeadAsync()).Status, Is.EqualTo(431));
        }
    }

    [Test]
    public async Task A_head_that_trickles_in_is_left_to_asp_net_and_still_gets_its_websocket()
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        var request = WebSocketRequest("/engine.io/?EIO=4&transport=websocket");
        // Longer than every second look at an incomplete head together.
        await connection.WriteAsync(request[..20]);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await connection.WriteAsync(request[20..]);
        var head = await connection.ReadHeadAsync();
        AssertAnsweredByAspNet(head, 101);
        using var socket = connection.AsWebSocket();
        Assert.That(await ReceiveTextAsync(socket), Does.StartWith("0{"));
    }

    [Test]
    public async Task A_request_head_that_stops_coming_gets_kestrels_request_timeout()
    {
        await using var host = await EngineIoTestHost.StartAsync(
            entry: EngineIoEntry.Connection,
            kestrel: options => options.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(1));
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(Encoding.ASCII.GetBytes("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: test\r\n"));
        var head = await connection.ReadHeadAsync();
        AssertAnsweredByAspNet(head, 408);
        Assert.That(await connection.ReadToEndAsync(), Is.Empty, "closed after the answer");
    }

    [Test]
    public async Task A_connection_that_never_sends_is_closed_when_the_server_stops()
    {
        var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection);
        using var silent = await RawConnection.OpenAsync(host.BaseUri);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        // Accepted in order: once the second is answered, the silent one is held by the server.
        await connection.WriteAsync(Encoding.ASCII.GetBytes("GET /elsewhere HTTP/1.1\r\nHost: test\r\n\r\n"));
        AssertAnsweredByAspNet(await connection.ReadHeadAsync(), 404);
        await host.DisposeAsync();
        Assert.That(await silent.ReadToEndAsync(), Is.Empty);
    }

    [Test]
    public async Task A_connection_that_never_sends_is_closed_after_the_keep_alive_timeout()
    {
        await using var host = await EngineIoTestHost.StartAsync(
            entry: EngineIoEntry.Connection,
            kestrel: options => options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1));
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        Assert.That(await connection.ReadToEndAsync(), Is.Empty);
    }

    [Test]
    public async Task Shutdown_ends_the_connection_of_a_client_that_never_answers_the_close()
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(WebSocketRequest("/engine.io/?EIO=4&transport=websocket"));
        Assert.That((await connection.ReadHeadAsync()).Status, Is.EqualTo(101));

        using var timeout = new CancellationTokenSource(Limit);
        await host.Server.ShutdownAsync(timeout.Token);
        // The open packet, the close packet, the close frame, then the end of the connection
        // (after the server's one-second grace), not a connection left open until Kestrel stops.
        var rest = await connection.ReadToEndAsync();
        Assert.That(rest, Has.Length.GreaterThan(4));
        Assert.That(rest[^4], Is.EqualTo(0x88), "a close frame last");
    }

    [Test]
    public async Task A_client_that_stops_reading_gets_every_answer_in_order_once_it_reads_again()
    {
        // A cap on what waits for the reader above the 26 MB sent: this is about waiting sends,
        // not about slow consumers (Limits/SlowConsumerTests).
        await using var host = await EngineIoTestHost.StartAsync(options => options.MaxBufferedBytes = 64 * 1024 * 1024, EngineIoEntry.Connection);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(WebSocketRequest("/engine.io/?EIO=4&transport=websocket"));
        Assert.That((await connection.ReadHeadAsync()).Status, Is.EqualTo(101));
        using var socket = connection.AsWebSocket();
        await ReceiveTextAsync(socket);

        // 26 MB of echoes, far more than the socket buffers of both ends hold: the server's sends
        // find the kernel full and must wait for the reader instead of failing or reordering.
        const int Count = 400;
        var filler = new string('x', 64 * 1024);
        for (var i = 0; i < Count; i++)
        {
            await SendTextAsync(socket, $"4{i}:{filler}");
        }

        for (var i = 0; i < Count; i++)
        {
            Assert.That(await ReceiveTextAsync(socket), Is.EqualTo($"4{i}:{filler}"), $"echo {i}");
        }
    }

    [Test]
    public async Task A_client_that_resets_its_connection_ends_its_session_as_a_transport_close()
    {
        await using var host = await EngineIoTestHost.StartAsync(entry: EngineIoEntry.Connection);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(WebSocketRequest("/engine.io/?EIO=4&transport=websocket"));
        Assert.That((await connection.ReadHeadAsync()).Status, Is.EqualTo(101));
        using var socket = connection.AsWebSocket();
        var sid = SidOf(await ReceiveTextAsync(socket));
        connection.Reset();
        Assert.That(await host.Handler.ClosedAsync(sid), Is.EqualTo("transport close"));
        Assert.That(await host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [TestCase(EngineIoEntry.HttpPipeline)]
    [TestCase(EngineIoEntry.Connection)]
    public async Task The_switching_protocols_answer_carries_the_cors_headers(EngineIoEntry entry)
    {
        await using var host = await EngineIoTestHost.StartAsync(options =>
        {
            options.CorsOrigins = ["http://allowed.test"];
            options.CorsCredentials = true;
        }, entry);
        using var connection = await RawConnection.OpenAsync(host.BaseUri);
        await connection.WriteAsync(WebSocketRequest("/engine.io/?EIO=4&transport=websocket", extraHeaders: "Origin: http://allowed.test\r\n"));
        var head = await connection.ReadHeadAsync();
        Assert.Multiple(() =>
        {
            Assert.That(head.Status, Is.EqualTo(101));
            Assert.That(head.Header("Access-Control-Allow-Origin"), Is.EqualTo("http://allowed.test"));
            Assert.That(head.Header("Access-Control-Allow-Credentials"), Is.EqualTo("true"));
            Assert.That(head.Header("Vary"), Is.EqualTo("Origin"));
            Assert.That(head.Header("Server"), entry == EngineIoEntry.Connection ? Is.Null : Is.EqualTo("Kestrel"));
        });
    }

    [Test]
    public async Task The_program_serves_engine_io_websockets_from_the_connection()
    {
        await using var server = await InProcessServer.StartAsync(["serve"]);
        using var connection = await RawConnection.OpenAsync(server.BaseUrl);
        await connection.WriteAsync(WebSocketRequest("/socket.io/?EIO=4&transport=websocket"));
        var head = await connection.ReadHeadAsync();
        Assert.Multiple(() =>
        {
            Assert.That(head.Status, Is.EqualTo(101));
            Assert.That(head.Header("Server"), Is.Null);
        });
        using var socket = connection.AsWebSocket();
        Assert.That(await ReceiveTextAsync(socket), Does.StartWith("0{"));
    }

    /// <summary>The response came from ASP.NET (Kestrel names itself there; the 101 sent from the socket does not).</summary>
    private static void AssertAnsweredByAspNet(ResponseHead head, int status) =>
        Assert.Multiple(() =>
        {
            Assert.That(head.Status, Is.EqualTo(status));
            Assert.That(head.Header("Server"), Is.EqualTo("Kestrel"));
        });

    private static byte[] WebSocketRequest(string target, string version = "13", string key = Key, string extraHeaders = "") =>
        Encoding.ASCII.GetBytes(
            $"GET {target} HTTP/1.1\r\nHost: test\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n" +
            $"Sec-WebSocket-Version: {version}\r\nSec-WebSocket-Key: {key}\r\n{extraHeaders}\r\n");

    /// <summary>A response head: the status and the headers (names compared case-insensitively).</summary>
    private sealed record ResponseHead(int Status, Dictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);
    }

    /// <summary>One raw TCP connection to the host, read byte by byte up to the end of a head so that no WebSocket frame is swallowed.</summary>
    private sealed class RawConnection : IDisposable
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;

        private RawConnection(TcpClient client)
        {
            _client = client;
            _stream = client.GetStream();
        }

        public static async Task<RawConnection> OpenAsync(Uri baseUri)
        {
            var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(baseUri.Host, baseUri.Port);
            return new RawConnection(client);
        }

        public async Task WriteAsync(byte[] data)
        {
            await _stream.WriteAsync(data);
            await _stream.FlushAsync();
        }

        public async Task<ResponseHead> ReadHeadAsync()
        {
            using var timeout = new CancellationTokenSource(Limit);
            var head = new List<byte>();
            var one = new byte[1];
            while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
            {
                if (await _stream.ReadAsync(one, timeout.Token) == 0)
                {
                    Assert.Fail($"the connection ended inside a response head: {Encoding.ASCII.GetString([.. head])}");
                }

                head.Add(one[0]);
            }

            var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers[line[..colon]] = line[(colon + 1)..].Trim();
            }

            return new ResponseHead(int.Parse(lines[0].Split(' ')[1]), headers);
        }

        public async Task<string> ReadBodyAsync(ResponseHead head)
        {
            using var timeout = new CancellationTokenSource(Limit);
            var body = new byte[int.Parse(head.Header("Content-Length") ?? "0")];
            await _stream.ReadExactlyAsync(body, timeout.Token);
            return Encoding.UTF8.GetString(body);
        }

        /// <summary>Everything the server sends until it closes the connection.</summary>
        public async Task<byte[]> ReadToEndAsync()
        {
            using var timeout = new CancellationTokenSource(Limit);
            using var received = new MemoryStream();
            await _stream.CopyToAsync(received, timeout.Token);
            return received.ToArray();
        }

        public WebSocket AsWebSocket() => WebSocket.CreateFromStream(_stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });

        /// <summary>Closes with a reset (RST) instead of a FIN, as a client that vanishes mid-connection.</summary>
        public void Reset()
        {
            _client.LingerState = new LingerOption(true, 0);
            _client.Close();
        }

        public void Dispose()
        {
            _stream.Dispose();
            _client.Dispose();
        }
    }
}
