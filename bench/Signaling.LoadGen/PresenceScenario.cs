using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Signaling.LoadGen;

/// <summary>
/// Arrivals: N connected sockets all send <c>online</c> with a name at once; the server answers
/// each with the whole list to everybody. Measures the time until every socket has seen a list
/// holding all N, then checks those lists name exactly the N sockets with their names.
/// </summary>
public sealed class PresenceScenario(Connector connector, ServerProbe server, CommandLine options) : IScenario
{
    private readonly int _count = options.Int("count", 200);
    private readonly int _concurrency = options.Int("concurrency", 64);
    private readonly double _timeout = options.Double("timeout", 120);

    public string Name => "presence";

    public string Variant => $"{_count} arrivals";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new ScenarioResult(Name, Variant);
        var connections = await connector.ConnectAllAsync(_count, _concurrency, cancellationToken);
        try
        {
            var remaining = _count;
            var allComplete = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sinks = connections.Select(_ => new PresenceSink(_count, () =>
            {
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    allComplete.TrySetResult();
                }
            })).ToArray();
            for (var index = 0; index < _count; index++)
            {
                connections[index].StartReceiving(sinks[index]);
            }

            var frames = Enumerable.Range(0, _count).Select(index => WebSocketFrame.Encode(WebSocketFrame.Text, Encoding.UTF8.GetBytes($"42[\"online\",\"{NameOf(index)}\"]"))).ToArray();
            var start = Usage.Take(server);
            await Task.WhenAll(connections.Select((connection, index) => connection.SendAsync(frames[index], cancellationToken).AsTask()));
            try
            {
                await allComplete.Task.WaitAsync(TimeSpan.FromSeconds(_timeout), cancellationToken);
            }
            catch (TimeoutException)
            {
                result.Failures.Add($"after {_timeout:0} s only {_count - Volatile.Read(ref remaining)} of {_count} sockets had seen the full list");
            }

            var end = Usage.Take(server);
            var done = sinks.Where(sink => sink.CompletedAt != 0).ToArray();
            if (done.Length > 0)
            {
                result.Add("time until all saw everyone", Stopwatch.GetElapsedTime(start.Timestamp, done.Max(sink => sink.CompletedAt)).TotalSeconds, "s", "lower");
                result.Add("time until the first saw everyone", Stopwatch.GetElapsedTime(start.Timestamp, done.Min(sink => sink.CompletedAt)).TotalSeconds, "s", "lower");
            }

            result.Add("online lists received", sinks.Sum(sink => sink.Messages), "count");
            result.Add("online bytes received", sinks.Sum(sink => sink.Bytes) / 1048576.0, "MiB");
            end.AddCosts(result, start);
            CheckLists(result, connections, sinks);
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

    private static string NameOf(int index) => $"user-{index:D5}";

    /// <summary>
    /// Each complete list must hold every socket once with its name (the order is the server's
    /// order of arrival, which simultaneous senders do not fix, so it is not checked).
    /// </summary>
    private static void CheckLists(ScenarioResult result, EioConnection[] connections, PresenceSink[] sinks)
    {
        var expected = connections.Select((connection, index) => (connection.SocketId, NameOf(index))).ToHashSet();
        var wrong = 0;
        string? example = null;
        foreach (var list in sinks.Select(sink => sink.CompleteList).OfType<byte[]>())
        {
            using var json = JsonDocument.Parse(list.AsMemory(2));
            var entries = json.RootElement[1].EnumerateArray()
                .Select(entry => (entry.GetProperty("id").GetString() ?? "", entry.GetProperty("name").GetString() ?? ""))
                .ToList();
            if (entries.Count != expected.Count || !expected.SetEquals(entries))
            {
                wrong++;
                example ??= Encoding.UTF8.GetString(list, 0, Math.Min(list.Length, 200));
            }
        }

        if (wrong > 0)
        {
            result.Failures.Add($"{wrong} complete lists did not hold exactly the {expected.Count} sockets with their names, e.g. {example}");
        }
    }
}
