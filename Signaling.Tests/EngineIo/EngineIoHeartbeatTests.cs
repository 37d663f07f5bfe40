using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using static Signaling.Tests.EngineIo.WebSocketTestClient;

namespace Signaling.Tests.EngineIo;

public sealed class EngineIoHeartbeatTests
{
    private EngineIoTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await EngineIoTestHost.StartAsync(options =>
    {
        options.PingInterval = TimeSpan.FromMilliseconds(300);
        options.PingTimeout = TimeSpan.FromMilliseconds(200);
    });

    [TearDown]
    public async Task StopAsync()
    {
        Assert.That(_host.Handler.Violations, Is.Empty, "handler contract");
        await _host.DisposeAsync();
    }

    [Test]
    public async Task V4_polling_server_pings_and_the_session_lives_while_answered()
    {
        var (sid, _) = await _host.HandshakeAsync();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            Assert.That(await _host.GetAsync(sid), Is.EqualTo("2"));
            Assert.That(watch.ElapsedMilliseconds, Is.InRange(200, 1000), "ping spacing");
            Assert.That((await _host.PostAsync(sid, "3")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(_host.Server.SessionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task V4_polling_session_without_pong_times_out()
    {
        var watch = Stopwatch.StartNew();
        var (sid, _) = await _host.HandshakeAsync();
        Assert.That(await _host.Handler.ClosedAsync(sid), Is.EqualTo("ping timeout"));
        Assert.That(watch.ElapsedMilliseconds, Is.InRange(450, 2000));
        Assert.That((await _host.Http.GetAsync(EngineIoTestHost.Path(4, "polling", sid))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [Test]
    public async Task V4_websocket_pings_and_times_out_without_pong()
    {
        using var socket = await _host.ConnectWebSocketAsync();
        var sid = SidOf(await ReceiveTextAsync(socket));
        for (var i = 0; i < 3; i++)
        {
            Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("2"));
            await SendTextAsync(socket, "3");
        }

        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("2"));
        Assert.That(await ReceiveCloseAsync(socket), Is.EqualTo(WebSocketCloseStatus.NormalClosure));
        Assert.That(await _host.Handler.ClosedAsync(sid), Is.EqualTo("ping timeout"));
    }

    [Test]
    public async Task V4_client_pings_are_a_heartbeat_in_the_wrong_direction()
    {
        using var socket = await _host.ConnectWebSocketAsync();
        var sid = SidOf(await ReceiveTextAsync(socket));
        await SendTextAsync(socket, "2");
        Assert.That(await _host.Handler.ClosedAsync(sid), Is.EqualTo("transport error"));
    }

    [Test]
    public async Task V3_silent_clients_are_dropped_after_interval_plus_timeout()
    {
        var watch = Stopwatch.StartNew();
        var (sid, _) = await _host.HandshakeAsync(3);
        Assert.That(await _host.Handler.ClosedAsync(sid), Is.EqualTo("ping timeout"));
        Assert.That(watch.ElapsedMilliseconds, Is.InRange(450, 2000));
    }

    [Test]
    public async Task V3_client_pings_keep_the_session_alive()
    {
        using var socket = await _host.ConnectWebSocketAsync(3);
        var sid = SidOf(await ReceiveTextAsync(socket));
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 1200)
        {
            await SendTextAsync(socket, "2");
            Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("3"));
            await Task.Delay(150);
        }

        Assert.That(_host.Server.SessionCount, Is.EqualTo(1));
        await SendTextAsync(socket, "4alive");
        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("4alive"));
        Assert.That(await _host.Handler.ClosedAsync(sid), Is.EqualTo("ping timeout"));
    }
}
