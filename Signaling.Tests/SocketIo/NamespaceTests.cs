using System.Net;
using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.SocketIo;

/// <summary>Namespaces, connect middlewares and what a socket's handshake carries, with every client generation.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class NamespaceTests
{
    [TestCaseSource(typeof(VersionRotation), nameof(VersionRotation.Each))]
    public async Task Client_joins_a_registered_custom_namespace(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Namespace("/custom"));
        var client = await host.ConnectAsync(version, transport, o => o with { Namespace = "/custom" });
        var socket = await host.NextConnectionAsync(s => s.Namespace.Name == "/custom");

        socket.Emit("greeting", "from /custom");
        Assert.That((await client.NextEventAsync("greeting")).Args[0].ToString(), Is.EqualTo("from /custom"));
        await SocketIoTestHost.AssertEchoAsync(client, "to /custom");
        Assert.That(host.Io.Of("/custom").SocketCount, Is.EqualTo(1));
    }

    // The reference answers CONNECT_ERROR {message: "Invalid namespace"} to every client; 3.x/4.x
    // report it as connect_error, 1.x/2.x as an error event carrying the data.
    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Unknown_namespace_is_refused_as_invalid(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var client = host.Start(version, transport, o => o with { Namespace = "/nowhere" });
        await client.OpenAsync();

        if (version.SupportsAuth())
        {
            var error = await client.NextAsync("connect_error");
            Assert.That((string?)error.Body["message"], Is.EqualTo("Invalid namespace"));
        }
        else
        {
            var error = await client.NextAsync("error");
            JsonAssert.AreEqual(new JObject { ["message"] = "Invalid namespace" }, error.Body["data"]);
        }

        Assert.That(client.Received.Any(m => m.Type == "connected"), Is.False, "the client never connected");
    }

    // 1.x/2.x send the query of the namespace URL with their CONNECT packet (protocol v4 only);
    // 3.x/4.x put it on the Engine.IO requests. Either way the socket's handshake shows it.
    [TestCaseSource(typeof(VersionRotation), nameof(VersionRotation.Each))]
    public async Task Namespace_url_query_is_in_the_socket_handshake(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Namespace("/custom"));
        await host.ConnectAsync(version, transport, o => o with { Namespace = "/custom?room=r%201&x=1" });
        var socket = await host.NextConnectionAsync(s => s.Namespace.Name == "/custom");

        Assert.That(socket.Handshake.Query, Does.ContainKey("room").WithValue("r 1"));
        Assert.That(socket.Handshake.Query, Does.ContainKey("x").WithValue("1"));
        Assert.That(socket.Handshake.Query, Does.ContainKey("EIO").WithValue(version.EngineIoProtocol().ToString()));
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Middleware_rejection_reaches_the_client_with_message_and_data(ClientVersion version, TransportMode transport)
    {
        var data = new JObject { ["reason"] = "banned", ["code"] = 7 };
        await using var host = await SocketIoTestHost.StartAsync(h =>
            h.Namespace("/guarded").Use(_ => new ConnectRejection("not allowed", data)));
        var client = host.Start(version, transport, o => o with { Namespace = "/guarded" });
        await client.OpenAsync();

        if (version.SupportsAuth())
        {
            var error = await client.NextAsync("connect_error");
            Assert.That((string?)error.Body["message"], Is.EqualTo("not allowed"));
            JsonAssert.AreEqual(data, error.Body["data"]);
        }
        else
        {
            // Protocol v4 carries one value: the data when there is some (as the reference's err.data || err.message).
            JsonAssert.AreEqual(data, (await client.NextAsync("error")).Body["data"]);
        }

        Assert.That(host.Io.Of("/guarded").SocketCount, Is.Zero, "the refused socket is not in the namespace");
    }

    [TestCaseSource(typeof(VersionRotation), nameof(VersionRotation.Each))]
    public async Task Middleware_rejection_without_data_reaches_the_client_as_its_message(ClientVersion version, TransportMode transport)
    {
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var host = await SocketIoTestHost.StartAsync(h => h.Namespace("/guarded")
            .Use(s =>
            {
                order.Enqueue("first");
                return null;
            })
            .Use(s =>
            {
                order.Enqueue("second");
                return new ConnectRejection("go away");
            })
            .Use(s =>
            {
                order.Enqueue("third");
                return null;
            }));
        var client = host.Start(version, transport, o => o with { Namespace = "/guarded" });
        await client.OpenAsync();

        if (version.SupportsAuth())
        {
            var error = await client.NextAsync("connect_error");
            Assert.That((string?)error.Body["message"], Is.EqualTo("go away"));
            Assert.That(error.Body["data"], Is.Null.Or.Property("Type").EqualTo(JTokenType.Null));
        }
        else
        {
            JsonAssert.AreEqual(new JValue("go away"), (await client.NextAsync("error")).Body["data"]);
        }

        Assert.That(order, Is.EqualTo(new[] { "first", "second" }), "middlewares run in order and stop at the first rejection");
    }

    [Test]
    public async Task Middleware_sees_the_handshake_and_admits_by_it()
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Io.Sockets.Use(s =>
            (string?)s.Handshake.Auth["token"] == "good" ? null : new ConnectRejection("bad token")));
        var refused = host.Start(ClientVersion.V4, TransportMode.WebSocket, o => o with { Auth = new JObject { ["token"] = "bad" } });
        await refused.OpenAsync();
        Assert.That((string?)(await refused.NextAsync("connect_error")).Body["message"], Is.EqualTo("bad token"));

        var admitted = await host.ConnectAsync(ClientVersion.V3, TransportMode.Polling, o => o with { Auth = new JObject { ["token"] = "good" } });
        await SocketIoTestHost.AssertEchoAsync(admitted, "admitted");
        Assert.That(host.Io.Sockets.SocketCount, Is.EqualTo(1));
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.WithAuth))]
    public async Task Auth_payload_is_in_the_socket_handshake(ClientVersion version, TransportMode transport)
    {
        var auth = new JObject { ["token"] = "s3cret", ["nested"] = new JObject { ["list"] = new JArray(1, "two", JValue.CreateNull()) } };
        await using var host = await SocketIoTestHost.StartAsync();
        await host.ConnectAsync(version, transport, o => o with { Auth = auth });
        var socket = await host.NextConnectionAsync();

        var handshake = socket.Handshake;
        JsonAssert.AreEqual(auth, handshake.Auth);
        Assert.That(socket.Handshake, Is.SameAs(handshake), "made once, on first use: what a handler stores in it stays");
    }

    [TestCaseSource(typeof(VersionRotation), nameof(VersionRotation.Each))]
    public async Task Handshake_carries_query_headers_and_address(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync();
        await host.ConnectAsync(version, transport, o => o with { Query = new Dictionary<string, string> { ["token"] = "abc" } });
        var socket = await host.NextConnectionAsync();

        var handshake = socket.Handshake;
        Assert.That(handshake.Query, Does.ContainKey("token").WithValue("abc"));
        Assert.That(handshake.Query, Does.ContainKey("transport").WithValue(transport == TransportMode.WebSocket ? "websocket" : "polling"));
        Assert.That(handshake.Headers["Host"], Is.EqualTo(host.BaseUri.Authority), "headers by case-insensitive name");
        Assert.That(handshake.Address, Is.Not.Null);
        Assert.That(IPAddress.IsLoopback(handshake.Address!.IsIPv4MappedToIPv6 ? handshake.Address.MapToIPv4() : handshake.Address), Is.True);
        Assert.That(handshake.Url, Does.StartWith("/socket.io/"));
        Assert.That(handshake.Secure, Is.False);
        if (!version.SupportsAuth())
        {
            Assert.That(handshake.Auth, Is.Empty, "1.x/2.x send no auth");
        }
    }
}
