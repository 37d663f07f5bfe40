using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Relay;

/// <summary>The relayed call events of docs/SIGNALING.md, between the official clients of every generation.</summary>
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class RelayedEventTests : RelayFixture
{
    private static readonly string[] RelayedEvents = ["request chat", "stream ok", "offer", "answer", "candidate", "hangup"];

    private static readonly JObject Offer = JObject.Parse("""
        {"type":"offer","sdp":"v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n","unicode":"héllo 😀","n":1.5,"when":"2020-01-01T00:00:00Z"}
        """);

    /// <summary>Every pair of client generations, each side on a different transport.</summary>
    public static IEnumerable<TestCaseData> Pairs =>
        from sender in Enum.GetValues<ClientVersion>()
        from target in Enum.GetValues<ClientVersion>()
        let transport = (TransportMode)(((int)sender + (int)target) % 3)
        select new TestCaseData(sender, target, transport).SetArgDisplayNames($"{(int)sender}.x", $"{(int)target}.x", transport.ToString());

    [TestCaseSource(nameof(Pairs))]
    public async Task Each_event_reaches_the_target_with_the_senders_id_and_the_payload_unchanged(ClientVersion sender, ClientVersion target, TransportMode transport)
    {
        var a = await ConnectAsync(sender, transport);
        var b = await ConnectAsync(target, TransportMode.PollingThenUpgrade);
        foreach (var name in RelayedEvents)
        {
            await a.EmitAsync(name, b.Id, Offer, "second", 3);
            var received = await b.NextEventAsync(name);
            var args = (JArray)received.Args.DeepClone();
            // Protocol v5 targets (3.x, 4.x) may recover, so each event also carries its recovery
            // offset as a last string argument, as the reference does; 1.x and 2.x never get one.
            if (target is ClientVersion.V3 or ClientVersion.V4)
            {
                Assert.That((string?)args.Last, Does.Match("^[0-9]+$"), $"{name}: the recovery offset");
                args.Last!.Remove();
            }
            Assert.That(args.ToString(Newtonsoft.Json.Formatting.None),
                Is.EqualTo(new JArray(a.Id!, Offer, "second", 3).ToString(Newtonsoft.Json.Formatting.None)), name);
        }
    }

    /// <summary>
    /// Socket.IO 1.x clients add a UTF-8 layer to polling payloads; the Node.js server garbles
    /// their non-ASCII text and drops them when it sends them some. Ours must not.
    /// </summary>
    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Non_ascii_text_crosses_both_ways_with_a_1x_client_on_polling(ClientVersion version, TransportMode transport)
    {
        const string text = "héllo 😀 € Zoë";
        var a = await ConnectAsync(version, transport);
        var b = await ConnectAsync(ClientVersion.V1, TransportMode.Polling);

        await a.EmitAsync("offer", b.Id, text);
        Assert.That((string?)(await b.NextEventAsync("offer")).Args[1], Is.EqualTo(text));
        await b.EmitAsync("answer", a.Id, text);
        Assert.That((string?)(await a.NextEventAsync("answer")).Args[1], Is.EqualTo(text));
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Binary_payloads_arrive_byte_for_byte(ClientVersion version, TransportMode transport)
    {
        var a = await ConnectAsync(version, transport);
        var b = await ConnectAsync(version == ClientVersion.V4 ? ClientVersion.V1 : ClientVersion.V4, transport);
        var blob = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();
        var nested = new JObject { ["chunk"] = BinaryJson.Binary([0, 255, 1]), ["list"] = new JArray(BinaryJson.Binary(blob)) };

        await a.EmitAsync("candidate", b.Id, BinaryJson.Binary(blob), nested);
        var received = await b.NextEventAsync("candidate");

        Assert.That((string?)received.Args[0], Is.EqualTo(a.Id));
        Assert.That(BinaryJson.ToBytes(received.Args[1]), Is.EqualTo(blob));
        Assert.That(BinaryJson.ToBytes(received.Args[2]["chunk"]), Is.EqualTo(new byte[] { 0, 255, 1 }));
        Assert.That(BinaryJson.ToBytes(received.Args[2]["list"]![0]), Is.EqualTo(blob));
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task An_acknowledged_message_is_answered_ok_once_handed_over(ClientVersion version, TransportMode transport)
    {
        var a = await ConnectAsync(version, transport);
        var b = await ConnectAsync(ClientVersion.V3);

        var answer = await a.EmitWithAckAsync("offer", b.Id, Offer);

        Assert.That(answer.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""[{"ok":true}]"""));
        Assert.That((string?)(await b.NextEventAsync("offer")).Args[0], Is.EqualTo(a.Id));
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task An_acknowledged_message_to_nobody_is_answered_unknown_target(ClientVersion version, TransportMode transport)
    {
        var a = await ConnectAsync(version, transport);
        var answer = await a.EmitWithAckAsync("request chat", "no-such-socket");
        Assert.That(answer.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""[{"error":"unknown-target"}]"""));
    }

    [TestCase("\"no-such-socket\"")]
    [TestCase("42")]
    [TestCase("{\"id\":\"x\"}")]
    [TestCase("null")]
    [TestCase("[\"a\",[\"b\"]]")]
    public async Task Without_an_ack_a_failure_comes_back_as_signaling_error(string toJson)
    {
        var a = await ConnectAsync(ClientVersion.V4);
        var to = JToken.Parse(toJson);
        await a.EmitAsync("offer", to, Offer);

        var error = await a.NextEventAsync("signaling error");
        var expected = new JObject { ["event"] = "offer", ["to"] = to, ["reason"] = "unknown-target" };
        Assert.That(JToken.DeepEquals(error.Args[0], expected), Is.True, error.ToString());
    }

    [Test]
    public async Task An_event_without_any_target_is_an_unknown_target()
    {
        var a = await ConnectAsync(ClientVersion.V2);
        await a.EmitAsync("hangup");
        var error = await a.NextEventAsync("signaling error");
        Assert.That(error.Args[0].ToString(Newtonsoft.Json.Formatting.None),
            Is.EqualTo("""{"event":"hangup","to":null,"reason":"unknown-target"}"""));
    }

    [Test]
    public async Task A_sender_cannot_choose_the_id_it_appears_under()
    {
        var mallory = await ConnectAsync(ClientVersion.V4);
        var alice = await ConnectAsync(ClientVersion.V1);
        var bob = await ConnectAsync(ClientVersion.V3);

        // Mallory claims to be Alice in every way a payload can.
        await mallory.EmitAsync("offer", bob.Id, alice.Id, new JObject { ["from"] = alice.Id, ["id"] = alice.Id });
        var received = await bob.NextEventAsync("offer");

        Assert.That((string?)received.Args[0], Is.EqualTo(mallory.Id));
        Assert.That((string?)received.Args[1], Is.EqualTo(alice.Id), "the payload itself is relayed untouched");
        Assert.That(alice.Received.Any(m => m.Name == "offer"), Is.False);
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Five_hundred_candidates_arrive_in_order(ClientVersion version, TransportMode transport)
    {
        var a = await ConnectAsync(version, transport);
        var b = await ConnectAsync(ClientVersion.V4, transport);
        const int count = 500;
        for (var i = 0; i < count; i++)
        {
            await a.EmitAsync("candidate", b.Id, new JObject { ["candidate"] = $"candidate:{i} 1 udp 2122260223 192.0.2.1 5000{i % 10} typ host", ["seq"] = i });
        }
        for (var i = 0; i < count; i++)
        {
            var received = await b.NextEventAsync("candidate");
            Assert.That((int?)received.Args[1]["seq"], Is.EqualTo(i));
        }
    }

    [Test]
    public async Task Messages_to_a_peer_that_left_are_unknown_target()
    {
        var a = await ConnectAsync(ClientVersion.V4);
        var b = await ConnectAsync(ClientVersion.V2);
        var bId = b.Id!;
        await GoOnlineAsync(a, "A");
        await GoOnlineAsync(b, "B");
        await b.DisposeAsync();
        await NextListWithoutAsync(a, bId);

        var answer = await a.EmitWithAckAsync("hangup", bId);
        Assert.That(answer.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""[{"error":"unknown-target"}]"""));
    }

    private static async Task NextListWithoutAsync(NodeSocketClient client, string id)
    {
        while (((JArray)(await client.NextEventAsync("online")).Args[0]).Any(e => (string?)e["id"] == id))
        {
        }
    }
}
