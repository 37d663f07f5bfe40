using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>Opens many connections to one server with bounded concurrency, timing each one.</summary>
public sealed class Connector(Uri server)
{
    public Task<EioConnection> ConnectAsync(CancellationToken cancellationToken) =>
        EioConnection.ConnectAsync(server, cancellationToken);

    /// <summary>Connects <paramref name="count"/> clients, at most <paramref name="concurrency"/> handshakes at a time.</summary>
    public async Task<ConnectAttempt[]> ConnectManyAsync(int count, int concurrency, CancellationToken cancellationToken)
    {
        var attempts = new ConnectAttempt[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (index, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var connection = await ConnectAsync(token);
                attempts[index] = new ConnectAttempt(connection, null, Stopwatch.GetElapsedTime(started));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
            {
                attempts[index] = new ConnectAttempt(null, exception.GetBaseException().Message, Stopwatch.GetElapsedTime(started));
            }
        });
        return attempts;
    }

    /// <summary>Connects all or throws, closing those that did connect.</summary>
    public async Task<EioConnection[]> ConnectAllAsync(int count, int concurrency, CancellationToken cancellationToken)
    {
        var attempts = await ConnectManyAsync(count, concurrency, cancellationToken);
        var failed = attempts.FirstOrDefault(attempt => attempt.Connection is null);
        if (failed is null)
        {
            return attempts.Select(attempt => attempt.Connection!).ToArray();
        }

        await CloseAllAsync(attempts.Select(attempt => attempt.Connection));
        throw new InvalidOperationException($"{attempts.Count(attempt => attempt.Connection is null)} of {count} connections failed, e.g. {failed.Error}");
    }

    public static async Task CloseAllAsync(IEnumerable<EioConnection?> connections)
    {
        foreach (var connection in connections)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
