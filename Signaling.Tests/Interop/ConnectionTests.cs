using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Interop;

/// <summary>Every official client generation connects, authenticates and disconnects over each transport mode.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ConnectionTests : ServerFixture
{
    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Client_connects_over_the_transport_it_asked_for(ClientVersion version, TransportMode transport)
    {
        await using var client = await NodeSocketClient.ConnectAsync(Server.BaseUrl, new NodeClientOptions(version, transport));

        Assert.That(client.Id, Is.Not.Null.And.Not.Empty);
        if (transport == TransportMode.PollingThenUpgrade)
        {
            var upgrade = await client.NextWhileConnectedAsync(m => m.Type == "upgrade", "upgrade");
            Assert.That(upgrade.Transport, Is.EqualTo("websocket"));
        }
        else
        {
            Assert.That(client.Received.Where(m => m.Type == "upgrade"), Is.Empty, "upgraded although only one transport was allowed");
        }

        // A round trip after the upgrade proves the upgraded transport carries traffic both ways.
        await client.EmitAsync("message", "after connect");
        var echo = await client.NextEventAsync("message-back");
        JsonAssert.AreEqual(new JArray("after connect"), echo.Args);
        Assert.That(client.Transport, Is.EqualTo(transport == TransportMode.Polling ? "polling" : "websocket"));
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.WithAuth))]
    public async Task Auth_payload_reaches_the_main_namespace(ClientVersion version, TransportMode transport)
    {
        var auth = new JObject { ["token"] = "s3cret", ["user"] = new JObject { ["name"] = "Zoë 🚀", ["level"] = 42 } };
        await using var client = await ConnectAsync(version, transport, auth: auth);

        var reported = await client.NextEventAsync("auth");

        JsonAssert.AreEqual(new JArray(auth), reported.Args);
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.WithAuth))]
    public async Task Auth_payload_reaches_the_custom_namespace(ClientVersion version, TransportMode transport)
    {
        var auth = new JObject { ["token"] = "for-custom", ["list"] = new JArray(1, "two", JValue.CreateNull()) };
        await using var client = await ConnectAsync(version, transport, "/custom", auth);

        var reported = await client.NextEventAsync("auth");

        JsonAssert.AreEqual(new JArray(auth), reported.Args);
    }

    // Clients before 3.x cannot send auth, and a 3.x/4.x client may send none: the server reports empty auth.
    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Client_without_auth_gets_empty_auth(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);

        var reported = await client.NextEventAsync("auth");

        JsonAssert.IsEmptyAuth(reported.Args);
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Client_talks_to_the_custom_namespace(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport, "/custom");
        await client.NextEventAsync("auth");

        await client.EmitAsync("message", "to custom", new JObject { ["n"] = 1 });
        var echo = await client.NextEventAsync("message-back");
        var ack = await client.EmitWithAckAsync("message-with-ack", "ack from custom");

        JsonAssert.AreEqual(new JArray("to custom", new JObject { ["n"] = 1 }), echo.Args);
        JsonAssert.AreEqual(new JArray("ack from custom"), ack);
    }

    // The fixture pings every 300 ms (Engine.IO 4: the server pings; 3: the client does) and gives
    // up after 200 ms more: a few heartbeats in a row prove both sides keep the connection alive.
    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Connection_stays_up_across_heartbeats(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);

        for (var i = 0; i < 4; i++)
        {
            await client.NextWhileConnectedAsync(m => m.Type == "heartbeat", $"heartbeat {i + 1}");
        }

        await client.EmitAsync("message", "still here");
        var echo = await client.NextEventAsync("message-back");
        JsonAssert.AreEqual(new JArray("still here"), echo.Args);
        Assert.That(client.Received.Where(m => m.Type == "disconnect"), Is.Empty, "disconnected between heartbeats");
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Client_disconnects_cleanly_and_can_connect_again(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);
        await client.NextEventAsync("auth");

        var reason = await client.DisconnectAsync();
        Assert.That(reason, Is.EqualTo("io client disconnect"));
        await client.NextAsync("engine-close");

        await client.OpenAsync();
        await client.NextAsync("connected");
        await client.EmitAsync("message", "back again");
        var echo = await client.NextEventAsync("message-back");
        JsonAssert.AreEqual(new JArray("back again"), echo.Args);
    }
}
