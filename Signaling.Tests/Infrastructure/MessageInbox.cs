namespace Signaling.Tests.Infrastructure;

/// <summary>
/// Messages arriving from a client, for tests to await without sleeping: <see cref="TakeAsync"/>
/// hands out the oldest unclaimed message that matches, waiting for one if none has come yet.
/// Messages nobody asked for stay queued, so the order in which a test awaits does not matter.
/// </summary>
public sealed class MessageInbox<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _all = [];
    private readonly List<T> _unclaimed = [];
    private readonly List<Waiter> _waiters = [];
    private Exception? _closedBecause;

    /// <summary>Every message received so far, claimed or not, oldest first.</summary>
    public IReadOnlyList<T> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _all];
            }
        }
    }

    public void Post(T message)
    {
        lock (_gate)
        {
            _all.Add(message);
            var waiter = _waiters.Find(w => w.Matches(message));
            if (waiter is null)
            {
                _unclaimed.Add(message);
                return;
            }

            _waiters.Remove(waiter);
            waiter.Completion.TrySetResult(message);
        }
    }

    /// <summary>No more messages will come: current and later waits that find nothing fail with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        lock (_gate)
        {
            _closedBecause ??= reason;
            foreach (var waiter in _waiters)
            {
                waiter.Completion.TrySetException(reason);
            }

            _waiters.Clear();
        }
    }

    /// <exception cref="TimeoutException">Nothing matching arrived within <paramref name="timeout"/>.</exception>
    public async Task<T> TakeAsync(Func<T, bool> matches, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Waiter waiter;
        lock (_gate)
        {
            var index = _unclaimed.FindIndex(m => matches(m));
            if (index >= 0)
            {
                var found = _unclaimed[index];
                _unclaimed.RemoveAt(index);
                return found;
            }

            if (_closedBecause is not null)
            {
                throw _closedBecause;
            }

            waiter = new Waiter(matches);
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class Waiter(Func<T, bool> matches)
    {
        public Func<T, bool> Matches { get; } = matches;

        // Continuations run off the lock held by Post.
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
