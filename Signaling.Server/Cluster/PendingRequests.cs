using System.Collections.Concurrent;
namespace Signaling.Server.Cluster;

/// <summary>
/// Requests this node sent to the others and the answers that came, by request id. Every
/// request ends: with all the answers it expected, or at its timeout with an error naming how
/// many came (the entry is removed either way, so missed answers leak nothing).
/// </summary>
internal sealed class PendingRequests(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    /// <summary>Whether the id is one of this node's own requests (its echo is then ignored).</summary>
    public bool IsOwn(string? requestId) => requestId is not null && _pending.ContainsKey(requestId);

    /// <summary>Adds an answer; false when the request is not this node's (or has ended).</summary>
    public bool Answer(string? requestId, object answer)
    {
        if (requestId is null || !_pending.TryGetValue(requestId, out var pending))
        {
            return false;
        }
        pending.Add(answer);
        return true;
    }

    /// <summary>
    /// Registers a request under a fresh id, runs <paramref name="send"/> with it, and waits for <paramref name="expected"/>
    /// answers (the receiving adapter hands them over as <typeparamref name="TAnswer"/>).
    /// </summary>
    /// <exception cref="RequestTimeoutException">Fewer answers within <paramref name="timeout"/>; the message names the request and the count.</exception>
    public async Task<IReadOnlyList<TAnswer>> RequestAsync<TAnswer>(string kind, int expected, TimeSpan timeout, Action<string> send, CancellationToken cancellationToken)
    {
        var id = ClusterIds.Hex();
        var pending = new Pending(expected);
        _pending[id] = pending;
        try
        {
            send(id);
            await pending.Done.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return [.. pending.Answers().OfType<TAnswer>()];
        }
        catch (TimeoutException)
        {
            var answers = pending.Answers();
            throw new RequestTimeoutException(kind, answers, expected);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private sealed class Pending(int expected)
    {
        private readonly List<object> _answers = [];
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        public void Add(object answer)
        {
            lock (_answers)
            {
                _answers.Add(answer);
                if (_answers.Count >= expected)
                {
                    _done.TrySetResult();
                }
            }
        }

        public IReadOnlyList<object> Answers()
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }
}
