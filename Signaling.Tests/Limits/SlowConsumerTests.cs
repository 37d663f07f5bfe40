using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo;
using Signaling.Tests.Infrastructure;
using Signaling.Tests.SocketIo;

namespace Signaling.Tests.Limits;

/// <summary>
/// <c>EngineIo:MaxBufferedBytes</c> on the HTTP pipeline's transports (Kestrel's WebSocket and
/// polling): an official client that stops reading while another floods it with relayed
/// candidates is closed as a slow consumer, and its neighbours carry on. The WebSocket served
/// from the socket, and the server's memory, are checked on a server process in <see cref="SlowConsumerProcessTests"/>.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SlowConsumerTests
{
    /// <summary>A relayed ICE candidate of the usual size (~200 bytes).</summary>
    internal static readonly JObject Candidate = new()
    {
        ["candidate"] = "candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 192.168.1.20 rport 61665 generation 0 ufrag sK3a network-cost 999",
        ["sdpMid"] = "0",
        ["sdpMLineIndex"] = 0,
    };

    [TestCase(ClientVersion.V4, TransportMode.WebSocket)]
    [TestCase(ClientVersion.V4, TransportMode.Polling)]
    [TestCase(ClientVersion.V2, TransportMode.WebSocket)]
    public async Task A_client_that_stops_reading_is_closed_as_a_slow_consumer_while_its_neighbours_carry_on(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync(
            h => h.Io.Sockets.OnRawEvent("candidate", e => Forward(h, e)),
            socketIo: NoRateLimit,
            // A paused client answers no ping: the heartbeat must not be what closes it here.
            engineIo: o => o.PingInterval = TimeSpan.FromSeconds(60));
        var reader = await host.ConnectAsync(version, transport);
        var readerSocket = await host.NextConnectionAsync(s => s.Id == reader.Id);
        var flooder = await host.ConnectAsync(ClientVersion.V4, TransportMode.WebSocket);
        var a = await host.ConnectAsync(ClientVersion.V4, TransportMode.WebSocket);
        var b = await host.ConnectAsync(ClientVersion.V3, TransportMode.Polling);

        await reader.PauseReadingAsync();
        // The kernel's buffers (several MB on loopback) fill first, then the server's 1 MiB: a
        // few MB of candidates close the reader; 100 MB would have been held without the cap.
        for (var round = 0; round < 400 && readerSocket.Connected; round++)
        {
            await flooder.FloodAsync("candidate", 1000, reader.Id, Candidate);
            await a.EmitAsync("candidate", b.Id, round);
            Assert.That((int)(await b.NextEventAsync("candidate")).Args[1], Is.EqualTo(round), "the neighbours' relay");
        }

        Assert.That(await host.DisconnectionOfAsync(readerSocket), Is.EqualTo(DisconnectReason.SlowConsumer));
        await Eventually.AssertAsync(() => host.Engine.SessionCount == 3, "the reader's session removed", SocketIoTestHost.WaitLimit);
        await SocketIoTestHost.AssertEchoAsync(flooder, "the flooder is still served");
        await a.EmitAsync("candidate", b.Id, "after");
        Assert.That((string?)(await b.NextEventAsync("candidate")).Args[1], Is.EqualTo("after"));
        await host.CloseClientsAsync();
        await host.AssertNothingLeftAsync(host.Io.Sockets);
    }

    [Test]
    public async Task A_reader_that_keeps_up_is_never_closed()
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Io.Sockets.OnRawEvent("candidate", e => Forward(h, e)), socketIo: NoRateLimit);
        var reader = await host.ConnectAsync(ClientVersion.V4, TransportMode.WebSocket);
        var readerSocket = await host.NextConnectionAsync(s => s.Id == reader.Id);
        var flooder = await host.ConnectAsync(ClientVersion.V4, TransportMode.WebSocket);

        // 6 MB in all, past the cap, read as it comes. Each burst stays under the cap: a burst
        // larger than it can outrun any reader on a loaded machine, which is what the cap is for.
        for (var round = 0; round < 12; round++)
        {
            var end = $"end {round}";
            await flooder.FloodAsync("candidate", 2000, reader.Id, Candidate);
            await flooder.EmitAsync("candidate", reader.Id, end);
            await reader.NextWhileConnectedAsync(
                m => m.Name == "candidate" && m.Args[1].Type == JTokenType.String && (string?)m.Args[1] == end, end, TimeSpan.FromSeconds(60));
        }

        Assert.That(readerSocket.Connected, Is.True);
    }

    /// <summary>The flooder here stands for many senders: no rate limit is what it tests.</summary>
    private static void NoRateLimit(SocketIoOptions options) =>
        options.RateLimit = new SocketIoRateLimitOptions { PacketsPerSecond = 0, BytesPerSecond = 0 };

    /// <summary>One relayed event from <paramref name="from"/> reaches <paramref name="to"/>.</summary>
    internal static async Task AssertRelayedAsync(NodeSocketClient from, NodeSocketClient to)
    {
        var marker = Guid.NewGuid().ToString();
        await from.EmitAsync("candidate", to.Id, marker);
        await to.NextWhileConnectedAsync(
            m => m.Name == "candidate" && m.Args[1].Type == JTokenType.String && (string?)m.Args[1] == marker, marker);
    }

    /// <summary>As the relay forwards: the target's id swapped for the sender's, nothing parsed.</summary>
    private static void Forward(SocketIoTestHost host, RawEvent e)
    {
        if (e.Packet.Target is { } to && host.Io.Sockets.TryGetSocket(to, out var target))
        {
            e.ForwardTo(target);
        }
    }
}
