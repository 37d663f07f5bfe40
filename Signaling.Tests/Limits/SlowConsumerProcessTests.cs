using System.Diagnostics;
using Signaling.LoadGen;
using Signaling.Tests.Hosting;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Limits;

/// <summary>
/// The slow reader of issue 11 against the server as users run it (its own process, the relay,
/// WebSockets served from the socket): an official client stops reading while another floods it
/// with relayed candidates. The server closes it as a slow consumer, logs that at Warning with
/// its session id, its memory stays near the cap (without it: +1.75 GB in 20 s), and a
/// neighbouring pair keeps relaying meanwhile.
/// </summary>
[NonParallelizable] // it measures the server's memory
public sealed class SlowConsumerProcessTests
{
    private const int Rounds = 400;
    private const int PerRound = 1000;

    [Test]
    [CancelAfter(240_000)]
    public async Task A_reader_that_stops_reading_is_closed_with_the_servers_memory_bounded_and_a_neighbour_unaffected(CancellationToken cancellationToken)
    {
        var (server, url) = await ServerProcess.StartAsync(Arguments);
        await using var stopServer = server;
        var probe = new ServerProbe(server.Id);
        await using var reader = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var flooder = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var a = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var b = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        var before = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            before.Add(await RoundTripAsync(a, b));
        }

        await reader.PauseReadingAsync();
        var closedLine = $"Engine.IO session {reader.SessionId} over websocket is closed as a slow consumer";
        var startKib = probe.ResidentKib()!.Value;
        var peakKib = startKib;
        var during = new List<double>();
        var rounds = 0;
        for (; rounds < Rounds && !server.Output.Contains(closedLine, StringComparison.Ordinal); rounds++)
        {
            await flooder.FloodAsync("candidate", PerRound, reader.Id, SlowConsumerTests.Candidate);
            during.Add(await RoundTripAsync(a, b));
            peakKib = Math.Max(peakKib, probe.ResidentKib()!.Value);
        }

        var growthMib = (peakKib - startKib) / 1024.0;
        await TestContext.Out.WriteLineAsync(FormattableString.Invariant(
            $"{rounds * PerRound} candidates sent until the close (or the end); RSS {startKib / 1024.0:0.0} MiB at the pause, peak +{growthMib:0.0} MiB; neighbour round trip (ack) before: median {Median(before):0.0} ms, max {before.Max():0.0} ms; during: median {Median(during):0.0} ms, max {during.Max():0.0} ms"));
        Assert.That(server.Output, Does.Contain(closedLine).And.Contain("WRN"), "the close, logged at Warning with the session id");
        // The cap is 1 MiB; the rest is the flood's garbage between collections and the
        // server's own queues on the way (the flooder's, the relay's), a few MiB at most.
        Assert.That(growthMib, Is.LessThan(48), "resident memory growth while flooding a reader that reads nothing");
        Assert.That(during.Max(), Is.LessThan(2000), "the neighbours' round trip while the flood went on (ms)");
        // The flooder and the neighbours are still served after the close.
        await a.EmitWithAckAsync("candidate", b.Id, "after");
        await SlowConsumerTests.AssertRelayedAsync(flooder, a);
    }

    /// <summary>No rate limit: this test is about a reader, not about a flooder.</summary>
    private static readonly string[] Arguments = ["--SocketIo:RateLimit:PacketsPerSecond=0", "--SocketIo:RateLimit:BytesPerSecond=0"];

    /// <summary>An acknowledged relay from a to b, in ms (the ack comes after the server forwarded it).</summary>
    private static async Task<double> RoundTripAsync(NodeSocketClient a, NodeSocketClient b)
    {
        var clock = Stopwatch.StartNew();
        await a.EmitWithAckAsync("candidate", b.Id, SlowConsumerTests.Candidate);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        await b.NextEventAsync("candidate");
        return elapsed;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
