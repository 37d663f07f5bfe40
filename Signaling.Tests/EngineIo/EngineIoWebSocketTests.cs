using System.Net.WebSockets;
using System.Text.Json;
using static Signaling.Tests.EngineIo.WebSocketTestClient;

namespace Signaling.Tests.EngineIo;

[TestFixture(EngineIoEntry.HttpPipeline)]
[TestFixture(EngineIoEntry.Connection)]
public sealed class EngineIoWebSocketTests(EngineIoEntry entry) : EngineIoHostFixture(entry)
{
    [Test]
    public async Task V4_direct_websocket_opens_and_echoes_text_and_binary()
    {
        using var socket = await Host.ConnectWebSocketAsync();
        var open = await ReceiveTextAsync(socket);
        var json = JsonDocument.Parse(open[1..]).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(open, Does.StartWith("0{"));
            Assert.That(json.GetProperty("upgrades").GetArrayLength(), Is.Zero);
            Assert.That(json.GetProperty("maxPayload").GetInt32(), Is.EqualTo(1_000_000));
            Assert.That(Host.Handler.LastOpened?.Transport, Is.EqualTo("websocket"));
        });

        await SendTextAsync(socket, "4hello €");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4hello €"));
        await SendBinaryAsync(socket, [1, 2, 3, 4]);
        Assert.That(await ReceiveBinaryAsync(socket), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [Test]
    public async Task V3_direct_websocket_prefixes_binary_frames_with_the_type()
    {
        using var socket = await Host.ConnectWebSocketAsync(3);
        var open = await ReceiveTextAsync(socket);
        Assert.That(JsonDocument.Parse(open[1..]).RootElement.TryGetProperty("maxPayload", out _), Is.False);
        await SendBinaryAsync(socket, [4, 9, 8]);
        Assert.That(await ReceiveBinaryAsync(socket), Is.EqualTo(new byte[] { 4, 9, 8 }));
        Assert.That(Host.Handler.MessagesOf(SidOf(open)).Single().Binary.ToArray(), Is.EqualTo(new byte[] { 9, 8 }));
        await SendTextAsync(socket, "2");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("3"));
    }

    [Test]
    public async Task V3_base64_websocket_clients_get_binary_as_text()
    {
        using var socket = await Host.ConnectWebSocketAsync(3, extra: "&b64=1");
        await ReceiveTextAsync(socket);
        await SendTextAsync(socket, "b4AQID");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("b4AQID"));
    }

    [Test]
    public async Task Large_messages_arrive_whole()
    {
        using var socket = await Host.ConnectWebSocketAsync();
        await ReceiveTextAsync(socket);
        var big = "4" + new string('z', 200_000);
        await SendTextAsync(socket, big);
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo(big));
    }

    [Test]
    public async Task Messages_are_handled_in_order()
    {
        using var socket = await Host.ConnectWebSocketAsync();
        var sid = SidOf(await ReceiveTextAsync(socket));
        for (var i = 0; i < 200; i++)
        {
            await SendTextAsync(socket, "4m" + i);
        }

        for (var i = 0; i < 200; i++)
        {
            Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4m" + i));
        }

        Assert.That(Host.Handler.MessagesOf(sid).Select(m => m.Text), Is.EqualTo(Enumerable.Range(0, 200).Select(i => "m" + i)));
    }

    [Test]
    public async Task Concurrent_sends_keep_each_list_contiguous()
    {
        using var socket = await Host.ConnectWebSocketAsync();
        await ReceiveTextAsync(socket);
        await SendTextAsync(socket, "4burst");
        var received = new List<string>();
        while (!received.Contains("4burst-done"))
        {
            received.Add(await ReceiveTextAsync(socket));
        }

        var pairs = received.Where(t => t.StartsWith("4pair", StringComparison.Ordinal)).ToList();
        Assert.That(pairs, Has.Count.EqualTo(400));
        for (var i = 0; i < pairs.Count; i += 2)
        {
            Assert.That(pairs[i + 1], Is.EqualTo(pairs[i][..^1] + "b"), $"pair at {i} split");
        }
    }

    [Test]
    public async Task Malformed_frames_close_only_that_session()
    {
        using var victim = await Host.ConnectWebSocketAsync();
        var victimSid = SidOf(await ReceiveTextAsync(victim));
        using var bystander = await Host.ConnectWebSocketAsync();
        await ReceiveTextAsync(bystander);

        await SendTextAsync(victim, "abc");
        Assert.That(await ReceiveCloseAsync(victim), Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        Assert.That(await Host.Handler.ClosedAsync(victimSid), Is.EqualTo("parse error"));

        await SendTextAsync(bystander, "4still here");
        Assert.That(await ReceiveTextAsync(bystander), Is.EqualTo("4still here"));
        Assert.That(Host.Server.SessionCount, Is.EqualTo(1));
    }

    [TestCase("")]
    [TestCase("7")]
    [TestCase("b@@@")]
    public async Task Every_kind_of_malformed_frame_is_a_parse_error(string frame)
    {
        using var socket = await Host.ConnectWebSocketAsync();
        var sid = SidOf(await ReceiveTextAsync(socket));
        await SendTextAsync(socket, frame);
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("parse error"));
    }

    [Test]
    public async Task Empty_v3_binary_frames_are_a_parse_error()
    {
        using var socket = await Host.ConnectWebSocketAsync(3);
        var sid = SidOf(await ReceiveTextAsync(socket));
        await SendBinaryAsync(socket, []);
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("parse error"));
    }

    [Test]
    public async Task A_client_close_packet_closes_the_socket()
    {
        using var socket = await Host.ConnectWebSocketAsync();
        var sid = SidOf(await ReceiveTextAsync(socket));
        await SendTextAsync(socket, "1");
        Assert.That(await ReceiveCloseAsync(socket), Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("transport close"));
        Assert.That(await Host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_server_close_flushes_then_sends_a_close_packet()
    {
        using var socket = await Host.ConnectWebSocketAsync();
        var sid = SidOf(await ReceiveTextAsync(socket));
        await SendTextAsync(socket, "4close-me");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4close-me"));
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("1"));
        Assert.That(await ReceiveCloseAsync(socket), Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("forced close"));
        Assert.That(await Host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_closed_websocket_is_a_transport_close_and_leaves_nothing_behind()
    {
        var sids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var socket = await Host.ConnectWebSocketAsync(i % 2 == 0 ? 4 : 3);
            sids.Add(SidOf(await ReceiveTextAsync(socket)));
            if (i % 3 == 0)
            {
                socket.Abort();
            }
            else
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }

        foreach (var sid in sids)
        {
            Assert.That(await Host.Handler.ClosedAsync(sid), Is.EqualTo("transport close"));
        }

        Assert.That(await Host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [Test]
    public async Task Shutdown_closes_every_session_websockets_with_a_close_packet()
    {
        using var webSocket = await Host.ConnectWebSocketAsync();
        var wsSid = SidOf(await ReceiveTextAsync(webSocket));
        var (pollSid, _) = await Host.HandshakeAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var shutdown = Host.Server.ShutdownAsync(timeout.Token);
        Assert.That(await ReceiveTextAsync(webSocket), Is.EqualTo("1"));
        await webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await shutdown;
        Assert.Multiple(async () =>
        {
            Assert.That(await Host.Handler.ClosedAsync(wsSid), Is.EqualTo("forced close"));
            Assert.That(await Host.Handler.ClosedAsync(pollSid), Is.EqualTo("forced close"));
            Assert.That(Host.Server.SessionCount, Is.Zero);
        });
    }
}
