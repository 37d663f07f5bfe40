using System.Diagnostics;
using System.Text;
using Newtonsoft.Json.Linq;
using Signaling.LoadGen;
using Signaling.Server.Hosting;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Hosting;

/// <summary>
/// The server as users run it, under a small open-files limit: it holds every connection the limit
/// leaves room for, refuses the ones beyond it at once and quietly (no spinning accept loop, no
/// flood of log lines, no crash), keeps serving the connections it holds, and takes new ones again
/// once some close. Hundreds of sockets come from the load generator's bare client; one official
/// socket.io-client shows a real client still works at the limit.
/// </summary>
[NonParallelizable] // it measures the server's CPU time and opens hundreds of sockets
public sealed class OpenFilesLimitTests
{
    // A few hundred connections of room next to the ~230 descriptors .NET opens at start.
    private const int OpenFilesLimit = 640;
    // Attempts past the server's reserve too, so that a server without one meets EMFILE.
    private const int Beyond = 2 * DescriptorBudget.Reserve;

    // Starting a thread holds up to four descriptors for a moment (strace: /sys/devices/system/cpu/possible,
    // a pipe, /proc/self/task/<id>/comm); the thread pool may start two at once while connections
    // arrive. A connection accepted just then finds the table that much fuller and is refused.
    private const int Margin = 8;
    private const int Reopened = 5;
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    [Test]
    [CancelAfter(180_000)]
    public async Task Every_connection_the_limit_allows_is_held_and_those_beyond_it_are_refused_cleanly(CancellationToken cancellationToken)
    {
        var (server, url) = await ServerProcess.StartAsync(OpenFilesLimit, "--EngineIo:PingInterval", "00:00:01");
        await using var stopServer = server;
        var probe = new ServerProbe(server.Id);
        var connector = new Connector(url);
        var held = new List<EioConnection>();
        try
        {
            // Two sockets relay a message and answer pings first, so that the code (and the
            // assemblies, each a descriptor) a held connection needs is loaded before the count.
            var first = await connector.ConnectAsync(cancellationToken);
            held.Add(first);
            var second = await connector.ConnectAsync(cancellationToken);
            held.Add(second);
            var secondEvents = new EventRecorder();
            first.StartReceiving(IgnoreEvents.Instance);
            second.StartReceiving(secondEvents);
            await first.SendAsync(CandidateTo(second.SocketId), cancellationToken);
            Assert.That(await secondEvents.NextAsync(cancellationToken), Does.StartWith($"42[\"candidate\",\"{first.SocketId}\""));
            await EveryOneAnswersAPingAsync(held, cancellationToken);

            var openAtStart = probe.OpenDescriptors()!.Value;
            var room = OpenFilesLimit - openAtStart - DescriptorBudget.Reserve;
            Assert.That(room, Is.GreaterThan(100), $"the server holds {openAtStart} descriptors after warming up: no room left to test");

            // Every connection the limit leaves room for, but for the few descriptors a starting
            // thread holds for a moment: all of them bare but one official client.
            var attempts = await connector.ConnectManyAsync(room - Margin - 1, 16, cancellationToken);
            held.AddRange(attempts.Where(attempt => attempt.Connection is not null).Select(attempt => attempt.Connection!));
            var failed = attempts.Where(attempt => attempt.Connection is null).ToList();
            Assert.That(failed, Is.Empty,
                $"{failed.Count} of {room - Margin - 1} connections within the limit ({OpenFilesLimit} files, {openAtStart} open after warm-up) failed, e.g. {failed.FirstOrDefault()?.Error}");
            foreach (var connection in held.Skip(2))
            {
                connection.StartReceiving(IgnoreEvents.Instance);
            }

            await using var official = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));

            // Up to the limit and beyond it: each attempt is taken or ends at once (the server closes
            // it), none hangs in the backlog; the server keeps its reserve free, and stays idle
            // meanwhile instead of spinning on its accept loop.
            var cpuBefore = probe.CpuTime()!.Value;
            var clock = Stopwatch.StartNew();
            var outcomes = await Task.WhenAll(Enumerable.Range(0, Margin + Beyond).Select(_ => AttemptAsync(connector, cancellationToken)));
            var taken = outcomes.Where(outcome => outcome.Connection is not null).Select(outcome => outcome.Connection!).ToList();
            held.AddRange(taken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // a window for the CPU time
            Assert.That(server.HasExited, Is.False, $"the server died at the limit:\n{Tail(server.Output)}");
            var busy = (probe.CpuTime()!.Value - cpuBefore).Total / clock.Elapsed;
            var openWhenFull = probe.OpenDescriptors()!.Value;
            var socketsWhenFull = probe.OpenSockets()!.Value;
            Assert.Multiple(() =>
            {
                Assert.That(outcomes.Where(outcome => outcome.Connection is null).Select(outcome => outcome.Error), Has.All.StartsWith("refused"),
                    "connections at the limit: each taken or refused at once");
                // Within the margin both ways: the count at start may have caught a passing descriptor too.
                Assert.That(held.Count + 1, Is.LessThanOrEqualTo(room + Margin), "connections held, official client included: the server must keep its reserve free");
                Assert.That(openWhenFull, Is.LessThanOrEqualTo(OpenFilesLimit - DescriptorBudget.Reserve + Margin), "descriptors open when full");
                Assert.That(busy, Is.LessThan(0.5), "the server's CPU load (share of one core) while refusing connections beyond the limit");
            });
            foreach (var connection in taken)
            {
                connection.StartReceiving(IgnoreEvents.Instance);
            }

            // The held connections are untouched: all open, all answering pings, and a message
            // crosses between the official client and a bare one both ways.
            Assert.That(held.Where(connection => !connection.IsOpen).Select(connection => connection.CloseReason), Is.Empty, "held connections that closed");
            await EveryOneAnswersAPingAsync(held, cancellationToken);
            await first.SendAsync(CandidateTo(official.Id!), cancellationToken);
            var relayed = await official.NextEventAsync("candidate");
            Assert.That((string?)relayed.Args[0], Is.EqualTo(first.SocketId));
            await official.EmitAsync("candidate", second.SocketId, new JObject { ["n"] = 2 });
            Assert.That(await secondEvents.NextAsync(cancellationToken), Does.StartWith($"42[\"candidate\",\"{official.Id}\""));

            // The log says so, once or twice, not once per refused connection.
            var refusedLines = server.Output.Split('\n').Count(line => line.Contains("Refused", StringComparison.Ordinal));
            Assert.That(refusedLines, Is.InRange(1, 3), $"log lines about refused connections:\n{Tail(server.Output)}");

            // Room again once some connections close.
            var closing = held.GetRange(held.Count - Reopened - Margin, Reopened + Margin);
            held.RemoveRange(held.Count - Reopened - Margin, Reopened + Margin);
            await Connector.CloseAllAsync(closing);
            // Sockets, not all descriptors: the runtime may open an assembly or two meanwhile.
            await UntilAsync(() => probe.OpenSockets() <= socketsWhenFull - Reopened - Margin, "the server to close the sockets the clients closed", cancellationToken);
            var reopened = await connector.ConnectManyAsync(Reopened, Reopened, cancellationToken);
            held.AddRange(reopened.Where(attempt => attempt.Connection is not null).Select(attempt => attempt.Connection!));
            Assert.That(reopened.Where(attempt => attempt.Connection is null).Select(attempt => attempt.Error), Is.Empty, "connections after some closed");
            Assert.That(server.HasExited, Is.False, $"the server died at the limit:\n{Tail(server.Output)}");
        }
        finally
        {
            await Connector.CloseAllAsync(held);
        }
    }

    /// <summary>
    /// One connection attempt at the limit: the connection when taken, else "refused: why" when the
    /// server ended it within the wait limit or "timed out" when it hung.
    /// </summary>
    private static async Task<(EioConnection? Connection, string? Error)> AttemptAsync(Connector connector, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WaitLimit);
        try
        {
            return (await connector.ConnectAsync(timeout.Token), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, "timed out");
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            return (null, $"refused: {exception.Message}");
        }
    }

    private static async Task EveryOneAnswersAPingAsync(IReadOnlyList<EioConnection> connections, CancellationToken cancellationToken)
    {
        var before = connections.Select(connection => connection.PingsAnswered).ToArray();
        await UntilAsync(
            () => connections.Select((connection, index) => connection.PingsAnswered > before[index]).All(answered => answered),
            "every held connection to answer a ping",
            cancellationToken);
    }

    // Pings and closes are not events a test can await here: poll them, within a limit.
    private static async Task UntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > WaitLimit)
            {
                Assert.Fail($"Waited {WaitLimit.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static byte[] CandidateTo(string socketId) =>
        WebSocketFrame.Encode(WebSocketFrame.Text, Encoding.UTF8.GetBytes($"42[\"candidate\",\"{socketId}\",{{\"n\":1}}]"));

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(20));

    /// <summary>The events one bare connection received, to await one at a time.</summary>
    private sealed class EventRecorder : IEventSink
    {
        private readonly System.Threading.Channels.Channel<string> _events = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public void OnEvent(ReadOnlySpan<byte> packet) => _events.Writer.TryWrite(Encoding.UTF8.GetString(packet));

        public async Task<string> NextAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(WaitLimit);
            return await _events.Reader.ReadAsync(timeout.Token);
        }
    }
}
