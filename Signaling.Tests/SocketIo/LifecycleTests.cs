using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.SocketIo;

/// <summary>How sockets end: connect timeout, server-side disconnects, dropped connections, and the reason each reports.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LifecycleTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task Session_that_joins_no_namespace_is_closed_after_the_connect_timeout(bool webSocket)
    {
        await using var host = await SocketIoTestHost.StartAsync(socketIo: o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300));
        var idle = host.Track(await RawSession.OpenAsync(host, webSocket));
        var joined = host.Track((await RawSession.ConnectAsync(host, webSocket)).Session);

        await idle.WaitForCloseAsync();

        // The one that joined in time outlives the timeout and still works.
        await joined.SendAsync("420[\"echo\",\"alive\"]");
        Assert.That(await joined.ReceiveAsync(), Is.EqualTo("430[\"alive\"]"));
        Assert.That(host.Engine.SessionCount, Is.EqualTo(1));
        await joined.CloseTransportAsync();
        await host.AssertNothingLeftAsync(host.Io.Sockets);
    }

    // The heartbeat would end the session anyway: it is made longer than every wait here so that
    // only the connect timeout can close the session in time.
    [TestCase(true)]
    [TestCase(false)]
    public async Task Session_whose_only_connect_was_refused_is_closed_after_the_connect_timeout(bool webSocket)
    {
        await using var host = await SocketIoTestHost.StartAsync(
            h => h.Io.Sockets.Use(_ => new ConnectRejection("no")),
            socketIo: o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300),
            engineIo: o => o.PingTimeout = TimeSpan.FromSeconds(30));
        var session = host.Track(await RawSession.OpenAsync(host, webSocket));

        await session.SendAsync("40");
        Assert.That(await session.ReceiveAsync(), Does.StartWith("44{\"message\":\"no\""));

        await session.WaitForCloseAsync();
        await host.AssertNothingLeftAsync(host.Io.Sockets);
    }

    // 1.x/2.x are put into / by the server itself; refused there, they have joined nothing either.
    [TestCase(ClientVersion.V1, TransportMode.WebSocket)]
    [TestCase(ClientVersion.V2, TransportMode.Polling)]
    public async Task Protocol_v4_client_refused_from_the_main_namespace_is_closed_after_the_connect_timeout(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync(
            h => h.Io.Sockets.Use(_ => new ConnectRejection("no")),
            socketIo: o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300),
            engineIo: o => o.PingTimeout = TimeSpan.FromSeconds(30));
        var client = host.Start(version, transport);
        await client.OpenAsync();

        JsonAssert.AreEqual(new JValue("no"), (await client.NextAsync("error")).Body["data"]);
        await client.NextAsync("engine-close");
        await host.AssertNothingLeftAsync(host.Io.Sockets);
    }

    [Test]
    public async Task Middleware_that_throws_refuses_nothing_else()
    {
        await using var host = await SocketIoTestHost.StartAsync(
            h => h.Namespace("/broken").Use(_ => throw new InvalidOperationException("middleware bug")),
            socketIo: o => o.ConnectTimeout = TimeSpan.FromMilliseconds(500),
            engineIo: o => o.PingTimeout = TimeSpan.FromSeconds(30));
        var bystander = await host.ConnectAsync(ClientVersion.V3, TransportMode.WebSocket);
        var session = host.Track(await RawSession.OpenAsync(host, webSocket: true));

        await session.SendAsync("40/broken,");

        // The failed connect leaves the session without a namespace, so the connect timeout ends it.
        await session.WaitForCloseAsync();
        Assert.That(host.Io.Of("/broken").SocketCount, Is.Zero);
        await SocketIoTestHost.AssertEchoAsync(bystander, "unaffected");
        await host.CloseClientsAsync();
        await host.AssertNothingLeftAsync(host.Io.Sockets, host.Io.Of("/broken"));
    }

    // 2.x joins / by itself and then /custom: two sockets on one connection, both ended with it.
    [TestCase(TransportMode.Polling)]
    [TestCase(TransportMode.WebSocket)]
    public async Task Disconnected_handler_that_throws_does_not_keep_other_sockets_alive(TransportMode transport)
    {
        void Throwing(SocketIoSocket socket) => socket.Disconnected += (_, _) => throw new InvalidOperationException("listener bug");
        await using var host = await SocketIoTestHost.StartAsync(h =>
        {
            h.Namespace("/", Throwing);
            h.Namespace("/custom", Throwing);
        });
        await host.ConnectAsync(ClientVersion.V2, transport, o => o with { Namespace = "/custom" });
        var first = await host.NextConnectionAsync();
        var second = await host.NextConnectionAsync();
        Assert.That(first.ConnectionId, Is.EqualTo(second.ConnectionId), "one connection");

        first.Client.Connection.Close(DisconnectReason.ForcedClose);

        Assert.That(await host.DisconnectionOfAsync(first), Is.EqualTo(DisconnectReason.ForcedClose));
        Assert.That(await host.DisconnectionOfAsync(second), Is.EqualTo(DisconnectReason.ForcedClose));
        await host.AssertNothingLeftAsync(host.Io.Sockets, host.Io.Of("/custom"));
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Server_namespace_disconnect_reaches_the_client_as_io_server_disconnect(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var client = await host.ConnectAsync(version, transport, o => o with { Reconnection = true, ReconnectionDelay = TimeSpan.FromMilliseconds(50) });
        var socket = await host.NextConnectionAsync();

        socket.Disconnect();

        Assert.That((await client.NextAsync("disconnect")).Reason, Is.EqualTo("io server disconnect"));
        Assert.That(await host.DisconnectionOfAsync(socket), Is.EqualTo(DisconnectReason.ServerNamespaceDisconnect));
        Assert.That(socket.Connected, Is.False);
        // A server disconnect is final: the client does not reconnect, and with no socket left it closes its connection.
        await host.AssertNothingLeftAsync(host.Io.Sockets);
        Assert.That(client.Received.Any(m => m.Type is "reconnect_attempt" or "reconnect"), Is.False, "no reconnection after io server disconnect");
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Server_disconnect_with_close_ends_the_connection(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Namespace("/custom"));
        var client = await host.ConnectAsync(version, transport, o => o with { Namespace = "/custom" });
        var socket = await host.NextConnectionAsync(s => s.Namespace.Name == "/custom");
        var sessionCount = host.Engine.SessionCount;
        Assert.That(sessionCount, Is.EqualTo(1));

        socket.Disconnect(close: true);

        Assert.That((await client.NextAsync("disconnect")).Reason, Is.EqualTo("io server disconnect"));
        await client.NextAsync("engine-close");
        Assert.That(await host.DisconnectionOfAsync(socket), Is.EqualTo(DisconnectReason.ServerNamespaceDisconnect));
        await host.AssertNothingLeftAsync(host.Io.Sockets, host.Io.Of("/custom"));
    }

    // As the reference: the close packet waits for the poll after the one that carried the
    // DISCONNECT. In one payload, 4.x clients (which handle decoded packets a tick later) see
    // the close first and report "transport close" instead of "io server disconnect".
    [Test]
    public async Task Server_disconnect_with_close_over_polling_sends_the_disconnect_before_the_close_packet()
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var session = host.Track((await RawSession.ConnectAsync(host, webSocket: false)).Session);
        var socket = await host.NextConnectionAsync();

        socket.Disconnect(close: true);

        Assert.That(await session.PollAsync(), Is.EqualTo(new[] { "41" }), "the first poll carries the DISCONNECT alone");
        await session.WaitForCloseAsync();
        await host.AssertNothingLeftAsync(host.Io.Sockets);
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Client_reconnects_after_the_server_drops_its_connection(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var client = await host.ConnectAsync(version, transport, o => o with { Reconnection = true, ReconnectionDelay = TimeSpan.FromMilliseconds(100) });
        var first = await host.NextConnectionAsync();

        first.Client.Connection.Close(DisconnectReason.ForcedClose);

        Assert.That((await client.NextAsync("disconnect")).Reason, Is.EqualTo("transport close"));
        Assert.That(await host.DisconnectionOfAsync(first), Is.EqualTo(DisconnectReason.ForcedClose));
        await client.NextAsync("reconnect");
        var second = await host.NextConnectionAsync();
        Assert.That(second.Id, Is.Not.EqualTo(first.Id), "a new socket");
        Assert.That(second.ConnectionId, Is.Not.EqualTo(first.ConnectionId), "on a new connection");
        await SocketIoTestHost.AssertEchoAsync(client, "after reconnecting");
        Assert.That(host.Io.Sockets.SocketCount, Is.EqualTo(1));
    }

    [TestCaseSource(typeof(VersionRotation), nameof(VersionRotation.Each))]
    public async Task Client_namespace_disconnect_is_reported_as_such(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var client = await host.ConnectAsync(version, transport);
        var socket = await host.NextConnectionAsync();

        Assert.That(await client.DisconnectAsync(), Is.EqualTo("io client disconnect"));

        Assert.That(await host.DisconnectionOfAsync(socket), Is.EqualTo(DisconnectReason.ClientNamespaceDisconnect));
        await host.AssertNothingLeftAsync(host.Io.Sockets);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Transport_closed_by_the_client_is_reported_as_transport_close(bool webSocket)
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var session = host.Track((await RawSession.ConnectAsync(host, webSocket)).Session);
        var socket = await host.NextConnectionAsync();

        await session.CloseTransportAsync();

        Assert.That(await host.DisconnectionOfAsync(socket), Is.EqualTo("transport close"));
        await host.AssertNothingLeftAsync(host.Io.Sockets);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Client_that_stops_answering_pings_is_reported_as_ping_timeout(bool webSocket)
    {
        await using var host = await SocketIoTestHost.StartAsync(engineIo: o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.PingTimeout = TimeSpan.FromMilliseconds(200);
        });
        var session = host.Track((await RawSession.ConnectAsync(host, webSocket)).Session);
        var socket = await host.NextConnectionAsync();

        Assert.That(await host.DisconnectionOfAsync(socket), Is.EqualTo("ping timeout"));
        await host.AssertNothingLeftAsync(host.Io.Sockets);
    }

    [TestCase(ClientVersion.V1, TransportMode.Polling)]
    [TestCase(ClientVersion.V2, TransportMode.WebSocket)]
    [TestCase(ClientVersion.V3, TransportMode.PollingThenUpgrade)]
    [TestCase(ClientVersion.V4, TransportMode.WebSocket)]
    public async Task Handler_that_throws_does_not_end_the_connection(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Namespace("/", socket =>
        {
            socket.On("boom", _ => throw new InvalidOperationException("handler bug"));
            socket.On("boom-after-ack", e =>
            {
                e.Ack("acked first");
                throw new InvalidOperationException("handler bug after ack");
            });
            throw new InvalidOperationException("connection handler bug");
        }));
        var client = await host.ConnectAsync(version, transport);
        var socket = await host.NextConnectionAsync();

        await client.EmitAsync("boom", 1);
        await SocketIoTestHost.AssertEchoAsync(client, "after a throwing handler");
        JsonAssert.AreEqual(new JArray("acked first"), await client.EmitWithAckAsync("boom-after-ack"));
        await SocketIoTestHost.AssertEchoAsync(client, "after another");
        Assert.That(socket.Connected, Is.True);
        Assert.That(client.Received.Any(m => m.Type == "disconnect"), Is.False);
    }
}
