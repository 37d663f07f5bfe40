using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo;
using Signaling.Tests.Infrastructure;
using Signaling.Tests.SocketIo;

namespace Signaling.Tests.Limits;

/// <summary>
/// <c>SocketIo:RateLimit</c>: official clients flood the relay (the <c>serve</c> command) and a
/// plain Socket.IO namespace. A call's burst passes untouched under the defaults; past a small
/// limit events are refused (ack error, or <c>signaling error</c> for relayed events), and a
/// connection that keeps on is closed with reason <c>rate limited</c>.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RateLimitTests
{
    private const string Ok = """[{"ok":true}]""";
    private const string RateLimited = """[{"error":"rate-limited"}]""";
    private static readonly TimeSpan FloodWait = TimeSpan.FromSeconds(60);

    // A burst of 50 packets and a refill too slow to matter during a test.
    private static readonly string[] SmallPacketLimit = ["--SocketIo:RateLimit:PacketBurst=50", "--SocketIo:RateLimit:PacketsPerSecond=0.01"];

    [TestCase(ClientVersion.V4, TransportMode.WebSocket)]
    [TestCase(ClientVersion.V4, TransportMode.Polling)]
    [TestCase(ClientVersion.V2, TransportMode.WebSocket)]
    [TestCase(ClientVersion.V1, TransportMode.Polling)]
    public async Task A_calls_burst_of_500_candidates_passes_untouched_under_the_defaults(ClientVersion version, TransportMode transport)
    {
        await using var server = await InProcessServer.StartAsync(["serve"]);
        await using var a = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(version, transport));
        await using var b = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));

        var acks = await a.FloodWithAcksAsync("candidate", 500, FloodWait, b.Id, SlowConsumerTests.Candidate);
        await a.FloodAsync("candidate", 500, b.Id, SlowConsumerTests.Candidate);
        await SlowConsumerTests.AssertRelayedAsync(a, b);

        Assert.That(acks, Is.EquivalentTo(new Dictionary<string, int> { [Ok] = 500 }));
        Assert.That(b.Received.Count(m => m.Name == "candidate"), Is.EqualTo(1001));
        Assert.That(a.Received.Where(m => m.Name == "signaling error"), Is.Empty);
    }

    [TestCase(ClientVersion.V4, TransportMode.WebSocket)]
    [TestCase(ClientVersion.V2, TransportMode.Polling)]
    public async Task Relayed_events_past_the_limit_are_refused_through_their_ack(ClientVersion version, TransportMode transport)
    {
        await using var server = await InProcessServer.StartAsync(["serve", .. SmallPacketLimit]);
        await using var a = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(version, transport));
        await using var b = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));

        // The connect took one packet (v5) or none (v4, put into / by the server).
        var acks = await a.FloodWithAcksAsync("candidate", 80, FloodWait, b.Id, SlowConsumerTests.Candidate);

        var passed = version == ClientVersion.V2 ? 50 : 49;
        Assert.That(acks, Is.EquivalentTo(new Dictionary<string, int> { [Ok] = passed, [RateLimited] = 80 - passed }));
        await Eventually.AssertAsync(() => b.Received.Count(m => m.Name == "candidate") == passed, $"{passed} candidates relayed", FloodWait);
    }

    [Test]
    public async Task Relayed_events_past_the_limit_without_an_ack_are_reported_as_signaling_errors()
    {
        await using var server = await InProcessServer.StartAsync(["serve", .. SmallPacketLimit]);
        await using var a = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var b = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(ClientVersion.V3, TransportMode.Polling));

        await a.FloodAsync("candidate", 80, b.Id, SlowConsumerTests.Candidate);

        for (var i = 0; i < 31; i++)
        {
            var error = await a.NextEventAsync("signaling error");
            JsonAssert.AreEqual(new JObject { ["event"] = "candidate", ["to"] = b.Id, ["reason"] = "rate-limited" }, error.Args[0]);
        }
        await Eventually.AssertAsync(() => b.Received.Count(m => m.Name == "candidate") == 49, "49 candidates relayed", FloodWait);
    }

    [Test]
    public async Task The_byte_limit_refuses_what_the_packet_limit_would_let_through()
    {
        // Each candidate event is some 230 bytes: 40 fill a burst of 10,000.
        await using var server = await InProcessServer.StartAsync(["serve", "--SocketIo:RateLimit:ByteBurst=10000", "--SocketIo:RateLimit:BytesPerSecond=1"]);
        await using var a = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var b = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));

        var acks = await a.FloodWithAcksAsync("candidate", 60, FloodWait, b.Id, SlowConsumerTests.Candidate);

        Assert.That(acks.Keys, Is.EquivalentTo(new[] { Ok, RateLimited }));
        Assert.That(acks[Ok], Is.InRange(30, 50));
    }

    /// <summary>
    /// A generic namespace: an event with an ack past the limit is answered with the error, one
    /// without is dropped (its handler never runs), and a flood that goes on is closed.
    /// </summary>
    [TestCase(TransportMode.WebSocket)]
    [TestCase(TransportMode.Polling)]
    public async Task A_client_that_keeps_flooding_is_closed_while_its_neighbours_carry_on(TransportMode transport)
    {
        var counted = 0;
        await using var host = await SocketIoTestHost.StartAsync(
            h => h.Namespace("/", s => s.On("count", _ => Interlocked.Increment(ref counted))),
            socketIo: o => o.RateLimit = new SocketIoRateLimitOptions { PacketBurst = 50, PacketsPerSecond = 0.01, BytesPerSecond = 0 });
        var flooder = await host.ConnectAsync(ClientVersion.V4, transport);
        var flooderSocket = await host.NextConnectionAsync(s => s.Id == flooder.Id);
        var neighbour = await host.ConnectAsync(ClientVersion.V4, TransportMode.WebSocket);

        await flooder.FloodAsync("count", 49);
        var refused = await flooder.FloodWithAcksAsync("echo", 10, FloodWait, "x");
        Assert.That(refused, Is.EquivalentTo(new Dictionary<string, int> { [RateLimited] = 10 }));
        await flooder.FloodAsync("count", 10);
        Assert.That(flooderSocket.Connected, Is.True, "refused, not yet closed");
        // A debt of a whole burst: closed.
        await flooder.FloodAsync("count", 40);

        Assert.That(await host.DisconnectionOfAsync(flooderSocket), Is.EqualTo(DisconnectReason.RateLimited));
        Assert.That(Volatile.Read(ref counted), Is.EqualTo(49), "the events that passed: the connect and 49 fill the burst of 50");
        await SocketIoTestHost.AssertEchoAsync(neighbour, "the neighbour is unaffected");
    }
}
