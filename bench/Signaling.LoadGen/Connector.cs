using System.Diagnostics;
using System.Net;

namespace Signaling.LoadGen;

/// <summary>
/// Opens many connections to one server with bounded concurrency, timing each one. With several
/// source addresses (127.0.0.1, 127.0.0.2, ... in turn) the connections are not limited to the
/// ~28,000 ephemeral ports (32768-60999) of one address. With several nodes of a cluster,
/// connection i goes to node i mod N, so the two ends of a pair (connections 2k and 2k + 1) are
/// on different nodes.
/// </summary>
public sealed class Connector(IReadOnlyList<Uri> nodes, int sourceAddresses = 1)
{
    // A handshake the server leaves unanswered this long (e.g. a connection left in its backlog)
    // counts as failed rather than holding the run up.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private int _next;

    public Connector(Uri server, int sourceAddresses = 1)
        : this([server], sourceAddresses)
    {
    }

    /// <summary>How many server processes the connections are spread over.</summary>
    public int Nodes => nodes.Count;

    /// <summary>One connection to the first node.</summary>
    public Task<EioConnection> ConnectAsync(CancellationToken cancellationToken) => ConnectAsync(0, cancellationToken);

    /// <summary>Connection number <paramref name="index"/>, to node <paramref name="index"/> mod <see cref="Nodes"/>.</summary>
    public Task<EioConnection> ConnectAsync(int index, CancellationToken cancellationToken) =>
        EioConnection.ConnectAsync(nodes[index % nodes.Count], NextSourceAddress(), cancellationToken);

    /// <summary>Connects <paramref name="count"/> clients, at most <paramref name="concurrency"/> handshakes at a time.</summary>
    public async Task<ConnectAttempt[]> ConnectManyAsync(int count, int concurrency, CancellationToken cancellationToken)
    {
        var attempts = new ConnectAttempt[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (index, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                var connection = await ConnectAsync(index, timeout.Token);
                attempts[index] = new ConnectAttempt(connection, null, Stopwatch.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                attempts[index] = new ConnectAttempt(null, $"no answer within {ConnectTimeout.TotalSeconds:0} s", Stopwatch.GetElapsedTime(started));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
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

    private IPAddress? NextSourceAddress()
    {
        if (sourceAddresses <= 1)
        {
            return null;
        }

        var index = (uint)Interlocked.Increment(ref _next) % (uint)sourceAddresses;
        return new IPAddress([127, 0, 0, (byte)(1 + index)]);
    }
}
