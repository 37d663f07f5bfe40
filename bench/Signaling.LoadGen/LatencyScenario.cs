using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>
/// Latency at a fixed offered rate: P pairs, every sender paced to its share of R messages per
/// second (senders staggered across the interval), each message stamped with its send time;
/// the receiver records arrival − send. Reports percentiles over the measured window.
/// </summary>
public sealed class LatencyScenario(Connector connector, ServerProbe server, CommandLine options) : IScenario
{
    private readonly int _pairs = options.Int("pairs", 50);
    private readonly double _rate = options.Double("rate", 10_000);
    private readonly int _payload = options.Int("payload", 200);
    private readonly double _warmup = options.Double("warmup", 20);
    private readonly double _duration = options.Double("duration", 10);
    private readonly double _drain = options.Double("drain", 5);
    private readonly int _concurrency = options.Int("concurrency", 64);

    public string Name => "latency";

    public string Variant => $"{_pairs} pairs, {_rate:0} msgs/s, {_duration:0.#} s";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult(Name, Variant);
        await using var pairs = await PairSet.ConnectAsync(connector, _pairs, _payload, window: 0, _concurrency, cancellationToken);
        var directions = pairs.Directions;
        var pacer = Task.Run(() => PaceAsync(directions, (long)(_rate * (_warmup + _duration)), cancellationToken), cancellationToken);

        await Task.Delay(TimeSpan.FromSeconds(_warmup), cancellationToken);
        foreach (var direction in directions)
        {
            direction.StartRecordingLatency();
        }

        var start = Usage.Take(server);
        var receivedAtStart = pairs.Received;
        await Task.Delay(TimeSpan.FromSeconds(_duration), cancellationToken);
        foreach (var direction in directions)
        {
            direction.StopRecordingLatency();
        }

        var end = Usage.Take(server);
        var received = pairs.Received - receivedAtStart;
        await pacer;
        await pairs.DrainAsync(TimeSpan.FromSeconds(_drain), cancellationToken);

        result.Add("delivered rate", received / end.WallSince(start).TotalSeconds, "msgs/s");
        var latencies = directions
            .SelectMany(direction => direction.LatencyTicks)
            .Select(ticks => ticks * 1000.0 / Stopwatch.Frequency)
            .Order()
            .ToArray();
        if (latencies.Length == 0)
        {
            result.Failures.Add("no message arrived in the measured window");
        }
        else
        {
            result.Add("latency p50", Statistics.Percentile(latencies, 0.50), "ms", "lower");
            result.Add("latency p90", Statistics.Percentile(latencies, 0.90), "ms", "lower");
            result.Add("latency p99", Statistics.Percentile(latencies, 0.99), "ms", "lower");
            result.Add("latency max", Statistics.Percentile(latencies, 1.00), "ms", "lower");
        }

        end.AddCosts(result, start, received);
        pairs.AddDeliveryChecks(result);
        return result;
    }

    /// <summary>
    /// One pacer for all senders: message k goes to direction k mod D at k ÷ R seconds from the
    /// start, so each sender is paced at R ÷ D and the senders are staggered. Every millisecond
    /// it sends what has fallen due (catching up when late rather than skipping, so the offered
    /// rate holds); one timer instead of one per message keeps the generator cheap. The stamp in
    /// each message is its actual send time.
    /// </summary>
    private async Task PaceAsync(IReadOnlyList<Direction> directions, long total, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        var begin = Stopwatch.GetTimestamp();
        var sent = 0L;
        do
        {
            var due = Math.Min((long)(Stopwatch.GetElapsedTime(begin).TotalSeconds * _rate) + 1, total);
            for (; sent < due; sent++)
            {
                await directions[(int)(sent % directions.Count)].SendOneAsync(cancellationToken);
            }
        }
        while (sent < total && await timer.WaitForNextTickAsync(cancellationToken));
    }
}
