using System.Net;
using System.Net.WebSockets;
using static Signaling.Tests.EngineIo.WebSocketTestClient;

namespace Signaling.Tests.EngineIo;

[TestFixture(EngineIoEntry.HttpPipeline)]
[TestFixture(EngineIoEntry.Connection)]
public sealed class EngineIoUpgradeTests(EngineIoEntry entry)
{
    private EngineIoTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await EngineIoTestHost.StartAsync(options => options.UpgradeTimeout = TimeSpan.FromMilliseconds(300), entry);

    [TearDown]
    public async Task StopAsync()
    {
        Assert.That(_host.Handler.Violations, Is.Empty, "handler contract");
        await _host.DisposeAsync();
    }

    [Test]
    public async Task A_poll_sent_right_after_the_probe_and_upgrade_is_refused_as_after_the_upgrade()
    {
        // The compliance suites send "2probe" and "5" and at once a GET on another connection,
        // which may arrive before those frames are read; the reference answers it 400.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var (sid, _) = await _host.HandshakeAsync();
            using var socket = await _host.ConnectWebSocketAsync(4, sid);
            await SendTextAsync(socket, "2probe");
            await SendTextAsync(socket, "5");
            using var poll = await _host.Http.GetAsync(EngineIoTestHost.Path(4, "polling", sid));
            Assert.That(poll.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"attempt {attempt}");
            Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("3probe"));
        }
    }

    [TestCase(4)]
    [TestCase(3)]
    public async Task Polling_upgrades_to_websocket(int eio)
    {
        var (sid, _) = await _host.HandshakeAsync(eio);
        var pendingPoll = _host.GetAsync(sid, eio);
        using var socket = await _host.ConnectWebSocketAsync(eio, sid);
        await SendTextAsync(socket, "2probe");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("3probe"));
        // The probe releases the pending poll with a noop.
        Assert.That(await pendingPoll.WaitAsync(TimeSpan.FromSeconds(10)), Is.EqualTo(eio == 4 ? "6" : "1:6"));

        await SendTextAsync(socket, "5");
        await SendTextAsync(socket, "4hello");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4hello"));
        Assert.That(_host.Handler.LastOpened?.Transport, Is.EqualTo("websocket"));

        var poll = await _host.Http.GetAsync(EngineIoTestHost.Path(eio, "polling", sid));
        Assert.That(poll.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await poll.Content.ReadAsStringAsync(), Is.EqualTo("{\"code\":3,\"message\":\"Bad request\"}"));

        using var second = await _host.ConnectWebSocketAsync(eio, sid);
        Assert.That(await ReceiveCloseAsync(second), Is.EqualTo(WebSocketCloseStatus.NormalClosure));

        await SendTextAsync(socket, "4still");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4still"));
    }

    [Test]
    public async Task Messages_posted_during_the_probe_still_arrive_by_polling_then_websocket()
    {
        var (sid, _) = await _host.HandshakeAsync();
        using var socket = await _host.ConnectWebSocketAsync(4, sid);
        await SendTextAsync(socket, "2probe");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("3probe"));
        await _host.PostAsync(sid, "4via polling");
        Assert.That(await _host.GetAsync(sid), Is.EqualTo("4via polling"));
        await SendTextAsync(socket, "5");
        await SendTextAsync(socket, "4via websocket");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4via websocket"));
    }

    [Test]
    public async Task An_upgrade_not_completed_in_time_is_dropped_and_polling_goes_on()
    {
        var (sid, _) = await _host.HandshakeAsync();
        using var socket = await _host.ConnectWebSocketAsync(4, sid);
        await SendTextAsync(socket, "2probe");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("3probe"));
        Assert.That(await ReceiveCloseAsync(socket), Is.EqualTo(WebSocketCloseStatus.NormalClosure));

        await _host.PostAsync(sid, "4polling still works");
        Assert.That(await _host.GetAsync(sid), Is.EqualTo("4polling still works"));
        Assert.That(_host.Handler.LastOpened?.Transport, Is.EqualTo("polling"));
    }

    [Test]
    public async Task Anything_but_probe_and_upgrade_aborts_the_upgrade_only()
    {
        var (sid, _) = await _host.HandshakeAsync();
        using var socket = await _host.ConnectWebSocketAsync(4, sid);
        await SendTextAsync(socket, "4too early");
        Assert.That(await ReceiveCloseAsync(socket), Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        await _host.PostAsync(sid, "4fine");
        Assert.That(await _host.GetAsync(sid), Is.EqualTo("4fine"));
        Assert.That(_host.Handler.MessagesOf(sid).Select(m => m.Text), Is.EqualTo(new[] { "fine" }));
    }

    [Test]
    public void A_websocket_for_an_unknown_sid_is_refused()
    {
        var socket = new ClientWebSocket();
        var uri = new Uri(_host.BaseUri.ToString().Replace("http", "ws", StringComparison.Ordinal) + EngineIoTestHost.Path(4, "websocket", "unknown")[1..]);
        Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        socket.Dispose();
    }

    [Test]
    public async Task A_server_close_before_the_probe_answer_abandons_the_upgrade_and_closes_over_polling_as_usual()
    {
        // Without its probe answer the client has not paused polling: what is queued goes out
        // first and the close packet on its next poll, as for any polling client (a 4.x client
        // given both in one payload reports "transport close" instead of "io server disconnect").
        var (sid, _) = await _host.HandshakeAsync();
        using var socket = await _host.ConnectWebSocketAsync(4, sid);
        await _host.PostAsync(sid, "4close-me");
        Assert.That(await ReceiveCloseAsync(socket), Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        Assert.That(await _host.GetAsync(sid), Is.EqualTo("4close-me"));
        Assert.That(await _host.GetAsync(sid), Is.EqualTo("1"));
        Assert.That(await _host.Handler.ClosedAsync(sid), Is.EqualTo("forced close"));
        Assert.That(await _host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [Test]
    public async Task A_server_close_after_the_probe_lets_the_upgrade_finish_and_closes_on_the_websocket()
    {
        // The client has its probe answer and has paused polling: it will not poll again, so
        // what is queued and the close packet must wait for it on the new transport.
        var (sid, _) = await _host.HandshakeAsync();
        using var socket = await _host.ConnectWebSocketAsync(4, sid);
        await SendTextAsync(socket, "2probe");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("3probe"));
        await _host.PostAsync(sid, "4close-me");
        await SendTextAsync(socket, "5");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4close-me"));
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("1"));
        Assert.That(await _host.Handler.ClosedAsync(sid), Is.EqualTo("forced close"));
        Assert.That(await _host.WaitForNoSessionsAsync(), Is.Zero);
    }
}
