using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Interop;

/// <summary>JSON events and acks between every official client generation and the server.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class MessagingTests : ServerFixture
{
    private const int ManyMessages = 200;

    /// <summary>One argument of each JSON kind, with the strings most likely to be mangled on the way.</summary>
    private static JArray EveryKindOfJson() =>
    [
        "plain",
        "unicode: 日本語, Ελληνικά, Zoë, emoji 😀🚀 and a lone combining mark e\u0301",
        "",
        "quotes \" backslash \\ slash / newline \n tab \t nul \u0000 line separator \u2028",
        "2024-01-02T03:04:05Z",
        "42",
        new string('x', 10_000),
        0,
        42,
        -7,
        9_007_199_254_740_991,
        3.14159,
        -2.5e-8,
        1e300,
        true,
        false,
        JValue.CreateNull(),
        new JObject(),
        new JArray(),
        new JObject
        {
            ["nested"] = new JObject
            {
                ["list"] = new JArray(1, "two", JValue.CreateNull(), new JObject { ["three"] = true }, new JArray(new JArray())),
                ["emoji 🔑"] = "value 🎉",
                ["empty"] = "",
            },
        },
        new JArray("a", 1, false, JValue.CreateNull(), new JObject { ["k"] = "v" }),
    ];

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Json_arguments_of_every_kind_come_back_unchanged(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);
        var args = EveryKindOfJson();

        await client.EmitAsync("message", [.. args]);
        var echo = await client.NextEventAsync("message-back");

        JsonAssert.AreEqual(args, echo.Args, "message-back arguments");
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Event_without_arguments_comes_back_without_arguments(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);

        await client.EmitAsync("message");
        var echo = await client.NextEventAsync("message-back");

        Assert.That(echo.Args, Is.Empty);
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Server_acknowledges_with_the_arguments_it_was_sent(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);
        var args = EveryKindOfJson();

        var ack = await client.EmitWithAckAsync("message-with-ack", [.. args]);
        var emptyAck = await client.EmitWithAckAsync("message-with-ack");

        JsonAssert.AreEqual(args, ack, "ack arguments");
        Assert.That(emptyAck, Is.Empty);
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Acks_are_matched_to_their_own_emits_when_many_are_in_flight(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);

        var acks = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.EmitWithAckAsync("message-with-ack", i, $"ack {i}")));

        for (var i = 0; i < acks.Length; i++)
        {
            JsonAssert.AreEqual(new JArray(i, $"ack {i}"), acks[i], $"ack {i}");
        }
    }

    // Sent the moment the socket connects, so in the upgrade mode they cross the switch from
    // polling to WebSocket; ASCII only (see ServerFixture.ConnectAsync on 1.x and UTF-8).
    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Messages_sent_while_the_transport_upgrades_all_come_back_in_order(ClientVersion version, TransportMode transport)
    {
        await using var client = await NodeSocketClient.ConnectAsync(Server.BaseUrl, new NodeClientOptions(version, transport));
        var sent = Enumerable.Range(0, 60)
            .Select(i => i % 4 == 0
                ? new JArray(i, BinaryJson.Binary([(byte)i, 0, 0xff]), new JObject { ["n"] = i })
                : new JArray(i, $"text {i}"))
            .ToList();

        var acks = new List<Task<JArray>>();
        foreach (var args in sent)
        {
            await client.EmitAsync("message", [.. args]);
            if ((int)args[0]! % 10 == 5)
            {
                acks.Add(client.EmitWithAckAsync("message-with-ack", args[0]));
            }
        }

        foreach (var args in sent)
        {
            var echo = await client.NextEventAsync("message-back");
            JsonAssert.AreEqual(args, echo.Args, $"echo of message {args[0]}");
        }

        var acked = await Task.WhenAll(acks);
        Assert.That(acked.Select(a => (int)a.Single()), Is.EqualTo(new[] { 5, 15, 25, 35, 45, 55 }));
        if (transport == TransportMode.PollingThenUpgrade)
        {
            await client.NextWhileConnectedAsync(m => m.Type == "upgrade", "upgrade");
        }
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Many_messages_come_back_in_the_order_they_were_sent(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);

        for (var i = 0; i < ManyMessages; i++)
        {
            await client.EmitAsync("message", i, $"message {i}");
        }

        for (var i = 0; i < ManyMessages; i++)
        {
            var echo = await client.NextEventAsync("message-back");
            JsonAssert.AreEqual(new JArray(i, $"message {i}"), echo.Args, $"echo number {i}");
        }
    }
}
