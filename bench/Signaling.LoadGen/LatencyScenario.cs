using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>
/// Latency at a fixed offered rate: P pairs, R messages per second in total, evenly spaced and
/// round robin over the senders (<see cref="Pacer"/>), each message stamped with its send time;
/// the receiver records arrival − send. Reports percentiles over the measured window, and the
/// pacer's own lateness.
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
    private readonly double _slowReaderRate = options.Double("slow-reader-rate", 0);

    public string Name => "latency";

    public string Variant => $"{_pairs} pairs, {_rate:0} msgs/s, {_duration:0.#} s" + (_slowReaderRate > 0 ? $", a slow reader sent {_slowReaderRate:0} msgs/s" : "");

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult(Name, Variant);
        await using var pairs = await PairSet.ConnectAsync(connector, _pairs, _payload, window: 0, _concurrency, cancellationToken);
        // From the start of the warm-up: the kernel's buffers under the reader take seconds to fill.
        await using var slowReader = _slowReaderRate > 0 ? await SlowReader.StartAsync(connector, _slowReaderRate, _payload, cancellationToken) : null;
        var residentAtStart = server.ResidentKib();
        var directions = pairs.Directions;
        var pacer = new Pacer(directions, _rate, (long)(_rate * (_warmup + _duration)));
        pacer.Start(cancellationToken);

        await Task.Delay(TimeSpan.FromSeconds(_warmup), cancellationToken);
        foreach (var direction in directions)
        {
            direction.StartRecordingLatency();
        }

        pacer.StartRecording();
        var start = Usage.Take(server);
        var receivedAtStart = pairs.Received;
        await Task.Delay(TimeSpan.FromSeconds(_duration), cancellationToken);
        pacer.StopRecording();
        foreach (var direction in directions)
        {
            direction.StopRecordingLatency();
        }

        var end = Usage.Take(server);
        var received = pairs.Received - receivedAtStart;
        await pacer.Finished;
        await pairs.DrainAsync(TimeSpan.FromSeconds(_drain), cancellationToken);

        result.Add("delivered rate", received / end.WallSince(start).TotalSeconds, "msgs/s");
        var latencies = Milliseconds(directions.SelectMany(direction => direction.LatencyTicks));
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

        // The generator's own error: how much later than due each message left. Small next to
        // the latencies, or the figures above measure the generator rather than the server.
        var lateness = Milliseconds(pacer.LatenessTicks);
        if (lateness.Length > 0)
        {
            result.Add("pacer lateness p50", Statistics.Percentile(lateness, 0.50), "ms");
            result.Add("pacer lateness p99", Statistics.Percentile(lateness, 0.99), "ms");
            result.Add("pacer lateness max", Statistics.Percentile(lateness, 1.00), "ms");
        }

        if (slowReader is not null)
        {
            result.Add("slow reader: candidates sent to it", slowReader.Sent, "msgs");
            result.Add("slow reader: sent until the server closed it", slowReader.SentUntilClosed ?? -1, "msgs (-1: never)");
            if (server.ResidentKib() is { } resident && residentAtStart is { } residentStart)
            {
                result.Add("server RSS growth over the run", (resident - residentStart) / 1024.0, "MiB", "lower");
            }
        }

        end.AddCosts(result, start, received);
        pairs.AddDeliveryChecks(result);
        return result;
    }

    private static double[] Milliseconds(IEnumerable<long> ticks) =>
        ticks.Select(tick => tick * 1000.0 / Stopwatch.Frequency).Order().ToArray();
}
