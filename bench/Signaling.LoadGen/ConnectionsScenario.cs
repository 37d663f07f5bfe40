using System.Globalization;

namespace Signaling.LoadGen;

/// <summary>
/// Idle sockets: N clients connect to <c>/</c> and stay, answering the server's pings, for a hold
/// time. Measures connection success, handshake times and the server's resident memory per socket.
/// With <c>--count max</c>, N is as many as the server's open-files limit leaves room for (the
/// limit less the descriptors it has open after the warm-up sockets), and a few more are tried past
/// that: the check is then that the server held (nearly) all of its room and refused the rest.
/// </summary>
public sealed class ConnectionsScenario(Connector connector, ServerProbe server, CommandLine options) : IScenario
{
    // How long warm-up sockets may wait for their pings (the servers ping every 25 s).
    private static readonly TimeSpan WarmupPingLimit = TimeSpan.FromSeconds(60);

    // --count max: attempts past the room, to see what the server does beyond its limit.
    private const int Overshoot = 100;

    // --count max: how far short of its room a server may stop and still pass: a server may keep a
    // few descriptors free for itself (ours keeps 32 so that the runtime can still start a thread).
    private const int RoomTolerance = 64;

    // Sockets opened (and kept) before the baseline, held until each has answered this many
    // pings: what the server loads or compiles once, on its first connections and their first
    // heartbeats (.NET recompiles a method once it has run 30 times), is not charged to the N measured.
    private readonly int _warmupCount = options.Int("warmup-connections", 200);
    private readonly int _warmupPings = options.Int("warmup-pings", 1);
    private readonly string _countText = options.String("count") ?? "10000";
    private readonly int _concurrency = options.Int("concurrency", 64);
    private readonly double _hold = options.Double("hold", 30);

    public string Name => "connections";

    private bool UpToLimit => _countText == "max";

    public string Variant => UpToLimit
        ? $"as many idle sockets as the open-files limit allows, held {_hold:0.#} s"
        : $"{_countText} idle sockets, held {_hold:0.#} s";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult(Name, Variant);
        var warm = await connector.ConnectAllAsync(_warmupCount, _concurrency, cancellationToken);
        EioConnection[] connected = [];
        try
        {
            foreach (var connection in warm)
            {
                connection.StartReceiving(IgnoreEvents.Instance);
            }

            await WarmUpAsync(warm, result, cancellationToken);
            var residentBefore = server.ResidentKib();
            var start = Usage.Take(server);
            var count = UpToLimit ? MeasureRoom(result) + Overshoot : int.Parse(_countText, CultureInfo.InvariantCulture);
            var attempts = await connector.ConnectManyAsync(count, _concurrency, cancellationToken);
            var afterConnect = Usage.Take(server);
            connected = attempts.Where(attempt => attempt.Connection is not null).Select(attempt => attempt.Connection!).ToArray();
            foreach (var connection in connected)
            {
                connection.StartReceiving(IgnoreEvents.Instance);
            }

            result.Add("connected", connected.Length, "count", "higher");
            var failed = attempts.FirstOrDefault(attempt => attempt.Connection is null);
            if (UpToLimit)
            {
                CheckRoomHeld(result, count - Overshoot, connected.Length, failed);
            }
            else if (failed is not null)
            {
                result.Failures.Add($"{count - connected.Length} of {count} connections failed, e.g. {failed.Error}");
            }

            var times = attempts.Select(attempt => attempt.Elapsed.TotalMilliseconds).Order().ToArray();
            result.Add("connect rate", connected.Length / afterConnect.WallSince(start).TotalSeconds, "conn/s", "higher");
            result.Add("connect time p50", Statistics.Percentile(times, 0.50), "ms", "lower");
            result.Add("connect time p99", Statistics.Percentile(times, 0.99), "ms", "lower");
            result.Add("connect time max", Statistics.Percentile(times, 1.00), "ms", "lower");
            afterConnect.AddCosts(result, start, connected.Length, "connection");

            await Task.Delay(TimeSpan.FromSeconds(_hold), cancellationToken);
            var afterHold = Usage.Take(server);
            var residentAfter = server.ResidentKib();
            if (afterHold.ServerCpu is { } holdEnd && afterConnect.ServerCpu is { } holdStart)
            {
                result.Add("server CPU load while idle", 100 * (holdEnd - holdStart).Total.TotalSeconds / afterHold.WallSince(afterConnect).TotalSeconds, "% of a core", "lower");
            }

            if (residentBefore is { } before && residentAfter is { } after)
            {
                result.Add("server RSS before", before / 1024.0, "MiB");
                result.Add("server RSS after", after / 1024.0, "MiB");
                if (connected.Length > 0)
                {
                    result.Add("memory per connection", (after - before) / (double)connected.Length, "KiB", "lower");
                }
            }

            result.Add("pings answered", connected.Sum(connection => connection.PingsAnswered), "count");
            var closed = connected.FirstOrDefault(connection => !connection.IsOpen);
            if (closed is not null)
            {
                result.Failures.Add($"{connected.Count(connection => !connection.IsOpen)} sockets closed while held, e.g. {closed.CloseReason}");
            }

            return result;
        }
        finally
        {
            await Connector.CloseAllAsync(connected);
            await Connector.CloseAllAsync(warm);
        }
    }

    /// <summary>Waits until every warm-up socket has answered its pings, then one second more to settle.</summary>
    private async Task WarmUpAsync(EioConnection[] warm, ScenarioResult result, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (warm.Any(connection => connection.PingsAnswered < _warmupPings))
        {
            if (waited.Elapsed > WarmupPingLimit)
            {
                result.Failures.Add($"warm-up sockets got no ping within {WarmupPingLimit.TotalSeconds:0} s");
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
    }

    /// <summary>The server's open-files limit less the descriptors it has open now: how many more sockets it can take at most.</summary>
    private int MeasureRoom(ScenarioResult result)
    {
        var limit = server.OpenFilesLimit()
            ?? throw new InvalidOperationException("--count max needs --server-pid and a server whose open-files limit is not unlimited");
        var open = server.OpenDescriptors()!.Value;
        result.Add("server open-files limit", limit, "count");
        result.Add("server descriptors open before", open, "count");
        result.Add("room (limit - open)", limit - open, "count");
        return (int)(limit - open);
    }

    private static void CheckRoomHeld(ScenarioResult result, int room, int connected, ConnectAttempt? failed)
    {
        result.Add("connected share of room", 100.0 * connected / room, "%", "higher");
        if (connected < room - RoomTolerance)
        {
            result.Failures.Add($"only {connected} connections held of a room of {room} descriptors, e.g. {failed?.Error}");
        }
    }
}
