using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>
/// Arrivals: N connected sockets all send <c>online</c> with a name at once; the server answers
/// each with the whole list to everybody. Measures the time until every socket has seen a list
/// holding all N, then checks those lists name exactly the N sockets with their names. On a
/// cluster the sockets are spread over its nodes, and the list must hold every node's.
/// </summary>
public sealed class PresenceScenario(Connector connector, ServerProbe server, CommandLine options) : IScenario
{
    private readonly int _count = options.Int("count", 200);
    private readonly int _concurrency = options.Int("concurrency", 64);
    private readonly double _timeout = options.Double("timeout", 120);

    public string Name => connector.Nodes > 1 ? "cluster presence" : "presence";

    public string Variant => connector.Nodes > 1 ? $"{_count} arrivals over {connector.Nodes} nodes" : $"{_count} arrivals";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult(Name, Variant);
        var connections = await connector.ConnectAllAsync(_count, _concurrency, cancellationToken);
        try
        {
            var burst = new OnlineBurst(connections);
            var start = Usage.Take(server);
            if (!await burst.RunAsync(TimeSpan.FromSeconds(_timeout), cancellationToken))
            {
                result.Failures.Add($"after {_timeout:0} s only {burst.Completed} of {_count} sockets had seen the full list");
            }

            var end = Usage.Take(server);
            var done = burst.Sinks.Where(sink => sink.CompletedAt != 0).ToArray();
            if (done.Length > 0)
            {
                result.Add("time until all saw everyone", Stopwatch.GetElapsedTime(start.Timestamp, done.Max(sink => sink.CompletedAt)).TotalSeconds, "s", "lower");
                result.Add("time until the first saw everyone", Stopwatch.GetElapsedTime(start.Timestamp, done.Min(sink => sink.CompletedAt)).TotalSeconds, "s", "lower");
            }

            result.Add("online lists received", burst.Sinks.Sum(sink => sink.Messages), "count");
            result.Add("online bytes received", burst.Sinks.Sum(sink => sink.Bytes) / 1048576.0, "MiB");
            end.AddCosts(result, start);
            burst.CheckLists(result);
            var closed = connections.FirstOrDefault(connection => !connection.IsOpen);
            if (closed is not null)
            {
                result.Failures.Add($"{connections.Count(connection => !connection.IsOpen)} sockets were closed, e.g. {closed.CloseReason}");
            }

            return result;
        }
        finally
        {
            await Connector.CloseAllAsync(connections);
        }
    }
}
