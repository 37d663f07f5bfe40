namespace Signaling.LoadGen;

/// <summary>
/// P pairs of connections, each pair a call: two directions of <c>candidate</c> traffic, each
/// connection the receiving end of its partner's direction.
/// </summary>
public sealed class PairSet : IAsyncDisposable
{
    private static readonly TimeSpan OnlineTimeout = TimeSpan.FromSeconds(60);

    private readonly EioConnection[] _connections;
    private readonly Direction[] _directions;

    private PairSet(EioConnection[] connections, Direction[] directions)
    {
        _connections = connections;
        _directions = directions;
    }

    public IReadOnlyList<Direction> Directions => _directions;

    public long Sent => _directions.Sum(direction => direction.Sent);

    public long Received => _directions.Sum(direction => direction.Tracker.Unique);

    /// <summary>
    /// Connects the pairs; on a cluster (the connector's connections alternate between nodes, so
    /// each pair spans two) every connection goes online first and waits for the full list, as
    /// peers that found each other in it would: a node then knows where the other ends are.
    /// </summary>
    /// <param name="window">Messages in flight per direction; 0 for none (paced traffic).</param>
    public static async Task<PairSet> ConnectAsync(Connector connector, int pairs, int payloadBytes, int window, int concurrency, CancellationToken cancellationToken)
    {
        var connections = await connector.ConnectAllAsync(pairs * 2, concurrency, cancellationToken);
        if (connector.Nodes > 1 && !await new OnlineBurst(connections).RunAsync(OnlineTimeout, cancellationToken))
        {
            await Connector.CloseAllAsync(connections);
            throw new InvalidOperationException($"the pairs' sockets did not all see the full presence list within {OnlineTimeout.TotalSeconds:0} s");
        }

        var directions = new Direction[pairs * 2];
        for (var pair = 0; pair < pairs; pair++)
        {
            var (a, b) = (connections[2 * pair], connections[(2 * pair) + 1]);
            directions[2 * pair] = new Direction(a, b, payloadBytes, window);
            directions[(2 * pair) + 1] = new Direction(b, a, payloadBytes, window);
            b.StartReceiving(directions[2 * pair]);
            a.StartReceiving(directions[(2 * pair) + 1]);
        }

        return new PairSet(connections, directions);
    }

    /// <summary>After the senders stopped: waits until everything sent has arrived, or the timeout.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // Polled: arrivals are counted on many receive loops and a drain happens once per run.
            while (Received < Sent)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: what is still missing is reported as lost.
        }
    }

    /// <summary>Adds the delivery figures; anything lost, duplicated, reordered or misrouted fails the run.</summary>
    public void AddDeliveryChecks(ScenarioResult result)
    {
        var sent = Sent;
        var received = Received;
        result.Add("messages sent", sent, "count");
        result.AddMustBeZero("lost", sent - received);
        result.AddMustBeZero("duplicated", _directions.Sum(direction => direction.Tracker.Duplicates));
        result.AddMustBeZero("out of order", _directions.Sum(direction => direction.Tracker.OutOfOrder));
        result.AddMustBeZero("wrong or unreadable", _directions.Sum(direction => direction.Tracker.Malformed));
        var closed = _connections.FirstOrDefault(connection => !connection.IsOpen);
        if (closed is not null)
        {
            result.Failures.Add($"{_connections.Count(connection => !connection.IsOpen)} connections closed during the run, e.g. {closed.CloseReason}");
        }

        if (sent == 0)
        {
            result.Failures.Add("nothing was sent");
        }
    }

    public async ValueTask DisposeAsync() => await Connector.CloseAllAsync(_connections);
}
