using System.Text;
using System.Text.Json;

namespace Signaling.LoadGen;

/// <summary>
/// Connected sockets all send <c>online</c> with a name (<c>user-00001</c>, ...) at once; then
/// wait until every one has received a list holding them all.
/// </summary>
public sealed class OnlineBurst
{
    private readonly EioConnection[] _connections;
    private readonly PresenceSink[] _sinks;
    private readonly byte[][] _frames;
    private readonly TaskCompletionSource _allComplete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;

    /// <summary>Starts receiving on every connection, into a <see cref="PresenceSink"/> each.</summary>
    public OnlineBurst(EioConnection[] connections)
    {
        _connections = connections;
        _remaining = connections.Length;
        _sinks = connections.Select(_ => new PresenceSink(connections.Length, () =>
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _allComplete.TrySetResult();
            }
        })).ToArray();
        for (var index = 0; index < connections.Length; index++)
        {
            connections[index].StartReceiving(_sinks[index]);
        }

        _frames = Enumerable.Range(0, connections.Length)
            .Select(index => WebSocketFrame.Encode(WebSocketFrame.Text, Encoding.UTF8.GetBytes($"42[\"online\",\"{NameOf(index)}\"]")))
            .ToArray();
    }

    public IReadOnlyList<PresenceSink> Sinks => _sinks;

    /// <summary>Sockets that have seen the full list so far.</summary>
    public int Completed => _connections.Length - Volatile.Read(ref _remaining);

    /// <summary>Sends every <c>online</c>; true once all have seen the full list, false at the timeout.</summary>
    public async Task<bool> RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Task.WhenAll(_connections.Select((connection, index) => connection.SendAsync(_frames[index], cancellationToken).AsTask()));
        try
        {
            await _allComplete.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Each complete list must hold every socket once with its name (the order is the server's
    /// order of arrival, which simultaneous senders do not fix, so it is not checked).
    /// </summary>
    public void CheckLists(ScenarioResult result)
    {
        var expected = _connections.Select((connection, index) => (connection.SocketId, NameOf(index))).ToHashSet();
        var wrong = 0;
        string? example = null;
        foreach (var list in _sinks.Select(sink => sink.CompleteList).OfType<byte[]>())
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

    private static string NameOf(int index) => $"user-{index:D5}";
}
