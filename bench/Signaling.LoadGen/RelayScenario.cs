namespace Signaling.LoadGen;

/// <summary>
/// Throughput: P pairs, every sender keeping W candidates in flight towards its peer (it sends
/// again as soon as the peer has received one), for a fixed time after a warm-up. Measures
/// relayed messages per second and the server's CPU time per relayed message. On a cluster each
/// pair spans two nodes, so every message crosses Redis; the server CPU is both nodes'.
/// </summary>
public sealed class RelayScenario(Connector connector, ServerProbe server, CommandLine options) : IScenario
{
    private readonly int _pairs = options.Int("pairs", 20);
    private readonly int _window = options.Int("window", 32);
    private readonly int _payload = options.Int("payload", 200);
    private readonly double _warmup = options.Double("warmup", 20);
    private readonly double _duration = options.Double("duration", 10);
    private readonly double _drain = options.Double("drain", 5);
    private readonly int _concurrency = options.Int("concurrency", 64);

    public string Name => connector.Nodes > 1 ? "cluster relay" : "relay";

    public string Variant => (connector.Nodes > 1 ? $"{connector.Nodes} nodes, " : "") + $"{_pairs} pairs, W={_window}, {_payload} B, {_duration:0.#} s";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult(Name, Variant);
        await using var pairs = await PairSet.ConnectAsync(connector, _pairs, _payload, _window, _concurrency, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var senders = pairs.Directions.Select(direction => Task.Run(() => SendLoopAsync(direction, stop.Token, cancellationToken), cancellationToken)).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(_warmup), cancellationToken);
        var start = Usage.Take(server);
        var receivedAtStart = pairs.Received;
        await Task.Delay(TimeSpan.FromSeconds(_duration), cancellationToken);
        var end = Usage.Take(server);
        var relayed = pairs.Received - receivedAtStart;

        await stop.CancelAsync();
        await Task.WhenAll(senders);
        await pairs.DrainAsync(TimeSpan.FromSeconds(_drain), cancellationToken);

        result.Add("throughput", relayed / end.WallSince(start).TotalSeconds, "msgs/s", "higher");
        end.AddCosts(result, start, relayed);
        result.Add("frame size", pairs.Directions[0].FrameBytes, "B");
        pairs.AddDeliveryChecks(result);
        return result;
    }

    private static async Task SendLoopAsync(Direction direction, CancellationToken stop, CancellationToken abort)
    {
        try
        {
            while (true)
            {
                await direction.SendWindowAsync(stop, abort);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            // The measured time is over.
        }
    }
}
