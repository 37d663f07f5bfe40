namespace Signaling.LoadGen;

/// <summary>
/// Idle sockets: N clients connect to <c>/</c> and stay, answering the server's pings, for a hold
/// time. Measures connection success, handshake times and the server's resident memory per socket.
/// </summary>
public sealed class ConnectionsScenario(Connector connector, ServerProbe server, CommandLine options) : IScenario
{
    // Sockets opened (and kept) before the baseline so that code loaded on the first connection
    // is not charged to the N measured ones.
    private const int WarmupConnections = 10;

    private readonly int _count = options.Int("count", 2000);
    private readonly int _concurrency = options.Int("concurrency", 64);
    private readonly double _hold = options.Double("hold", 30);

    public string Name => "connections";

    public string Variant => $"{_count} idle sockets, held {_hold:0.#} s";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult(Name, Variant);
        var warm = await connector.ConnectAllAsync(WarmupConnections, _concurrency, cancellationToken);
        EioConnection[] connected = [];
        try
        {
            foreach (var connection in warm)
            {
                connection.StartReceiving(IgnoreEvents.Instance);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var residentBefore = server.ResidentKib();
            var start = Usage.Take(server);
            var attempts = await connector.ConnectManyAsync(_count, _concurrency, cancellationToken);
            var afterConnect = Usage.Take(server);
            connected = attempts.Where(attempt => attempt.Connection is not null).Select(attempt => attempt.Connection!).ToArray();
            foreach (var connection in connected)
            {
                connection.StartReceiving(IgnoreEvents.Instance);
            }

            result.Add("connected", connected.Length, "count", "higher");
            var failed = attempts.FirstOrDefault(attempt => attempt.Connection is null);
            if (failed is not null)
            {
                result.Failures.Add($"{_count - connected.Length} of {_count} connections failed, e.g. {failed.Error}");
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
}
