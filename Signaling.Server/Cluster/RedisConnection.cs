using Microsoft.Extensions.Logging;
using Signaling.Server.Diagnostics;
using StackExchange.Redis;

namespace Signaling.Server.Cluster;

/// <summary>
/// The node's one connection to Redis, shared by every namespace's adapter. One multiplexer
/// means one subscriber connection, so PUBSUB NUMSUB counts this node once per channel, as the
/// Node adapters' server counts expect. It reconnects by itself with back-off and restores the
/// subscriptions; publishes never wait while Redis is away: they fail at once and are counted.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(4);

    private readonly RedisOptions _options;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<ConnectionMultiplexer> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private ConnectionMultiplexer? _multiplexer;
    private int _down;
    private long _failedWhileDown;

    public RedisConnection(RedisOptions options, ILogger<RedisConnection> logger)
    {
        _options = options;
        _logger = logger;
        _ = ConnectAsync();
    }

    /// <summary>Completes with the multiplexer once it first exists (it may be reconnecting after).</summary>
    public Task<ConnectionMultiplexer> Ready => _ready.Task;

    public bool IsConnected => _multiplexer?.IsConnected == true;

    /// <summary>Raised once the subscriptions are back after Redis was lost: what other nodes did meanwhile was not heard.</summary>
    public event Action? Restored;

    /// <summary>Publishes without waiting; a failure (Redis away) is counted and logged, never thrown.</summary>
    public void Publish(RedisChannel channel, ReadOnlyMemory<byte> message)
    {
        if (Start(channel, message) is not { } sent)
        {
            return;
        }
        if (sent.IsCompletedSuccessfully)
        {
            Interlocked.Increment(ref ServerMetrics.ClusterPublished);
            return;
        }
        _ = CompleteAsync(sent, channel);
    }

    /// <summary>As <see cref="Publish"/>, for callers that continue once Redis took the message.</summary>
    public Task PublishAsync(RedisChannel channel, ReadOnlyMemory<byte> message) =>
        Start(channel, message) is { } sent ? CompleteAsync(sent, channel) : Task.CompletedTask;

    /// <summary>
    /// Subscribes as an ordered queue, retrying with back-off until Redis takes it; then Redis reconnects restore it.
    /// Without <paramref name="handler"/> nothing reads the queue: the caller empties it (<see cref="ChannelMessageQueue.TryRead"/>).
    /// </summary>
    public async Task<ChannelMessageQueue> SubscribeAsync(RedisChannel channel, Action<ChannelMessage>? handler)
    {
        var multiplexer = await Ready.ConfigureAwait(false);
        var delay = FirstRetry;
        while (true)
        {
            try
            {
                var queue = await multiplexer.GetSubscriber().SubscribeAsync(channel).ConfigureAwait(false);
                if (handler is not null)
                {
                    queue.OnMessage(message =>
                    {
                        Interlocked.Increment(ref ServerMetrics.ClusterReceived);
                        handler(message);
                    });
                }
                return queue;
            }
            catch (Exception error) when (error is RedisException or TimeoutException && !_stopping.IsCancellationRequested)
            {
                _logger.SubscribeFailed(channel.ToString(), delay, error.Message);
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                delay = Min(delay * 2, LastRetry);
            }
        }
    }

    /// <summary>
    /// Runs a command on every primary and adds up the integer at <paramref name="index"/> of
    /// each answer: PUBSUB NUMSUB counts only the subscribers of the node it runs on.
    /// </summary>
    public async Task<long> SumOverPrimariesAsync(string command, object[] args, int index)
    {
        var multiplexer = await Ready.ConfigureAwait(false);
        long total = 0;
        foreach (var server in multiplexer.GetServers())
        {
            if (server.IsReplica || !server.IsConnected)
            {
                continue;
            }
            var answer = await server.ExecuteAsync(command, args).ConfigureAwait(false);
            total += (long)((RedisResult[])answer!)[index];
        }
        return total;
    }

    /// <summary>Runs a command routed by its key in <paramref name="args"/> (a shard channel's slot) and reads the integer at <paramref name="index"/>.</summary>
    public async Task<long> ExecuteRoutedAsync(string command, object[] args, int index)
    {
        var multiplexer = await Ready.ConfigureAwait(false);
        var answer = await multiplexer.GetDatabase().ExecuteAsync(command, args).ConfigureAwait(false);
        return (long)((RedisResult[])answer!)[index];
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.CloseAsync().ConfigureAwait(false);
            multiplexer.Dispose();
        }
        Volatile.Write(ref ServerMetrics.RedisConnected, 0);
        _stopping.Dispose();
    }

    private async Task ConnectAsync()
    {
        var config = ConfigurationOptions.Parse(_options.Configuration!);
        // Keep trying in the background instead of failing the start; commands fail at once
        // while disconnected rather than queueing behind an outage.
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ReconnectRetryPolicy = new ExponentialRetry((int)FirstRetry.TotalMilliseconds, (int)LastRetry.TotalMilliseconds);
        config.ConnectTimeout = 2000;
        _logger.ClusterStarting(string.Join(",", config.EndPoints), _options.Sharded ? $"sharded {(string.IsNullOrEmpty(_options.SubscriptionMode) ? "dynamic" : _options.SubscriptionMode.ToLowerInvariant())}" : "classic", _options.ChannelPrefix);
        try
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
            multiplexer.ConnectionFailed += (_, e) => OnLost(e);
            multiplexer.ConnectionRestored += (_, e) => OnRestored(e);
            _multiplexer = multiplexer;
            if (multiplexer.IsConnected)
            {
                Volatile.Write(ref ServerMetrics.RedisConnected, 1);
            }
            else
            {
                MarkDown(null, "not reachable at start");
            }
            _ready.TrySetResult(multiplexer);
        }
        catch (Exception error)
        {
            // A configuration string that cannot be used at all: nothing will ever connect.
            _logger.RedisLost(error, "configuration");
            _ready.TrySetException(error);
        }
    }

    private void OnLost(ConnectionFailedEventArgs e) => MarkDown(e.Exception, e.FailureType.ToString());

    private void MarkDown(Exception? error, string why)
    {
        Volatile.Write(ref ServerMetrics.RedisConnected, 0);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            Interlocked.Exchange(ref _failedWhileDown, 0);
            _logger.RedisLost(error, why);
        }
    }

    private void OnRestored(ConnectionFailedEventArgs e)
    {
        if (_multiplexer?.IsConnected == true && Interlocked.Exchange(ref _down, 0) == 1)
        {
            Volatile.Write(ref ServerMetrics.RedisConnected, 1);
            _logger.RedisBack(Interlocked.Read(ref _failedWhileDown));
        }
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _ = RaiseRestoredAsync();
        }
    }

    /// <summary>A moment after the subscriber connection is back, when the multiplexer has subscribed again.</summary>
    private async Task RaiseRestoredAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token).ConfigureAwait(false);
            Restored?.Invoke();
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Hands the message to the multiplexer; null (counted as failed) when it cannot take it.</summary>
    private Task? Start(RedisChannel channel, ReadOnlyMemory<byte> message)
    {
        if (_multiplexer is not { } multiplexer)
        {
            Failed(channel, "not connected yet");
            return null;
        }
        try
        {
            return multiplexer.GetSubscriber().PublishAsync(channel, message);
        }
        catch (RedisException error)
        {
            Failed(channel, error.Message);
            return null;
        }
    }

    private async Task CompleteAsync(Task sent, RedisChannel channel)
    {
        try
        {
            await sent.ConfigureAwait(false);
            Interlocked.Increment(ref ServerMetrics.ClusterPublished);
        }
        catch (Exception error) when (error is RedisException or TimeoutException or ObjectDisposedException)
        {
            Failed(channel, error.Message);
        }
    }

    private void Failed(RedisChannel channel, string why)
    {
        Interlocked.Increment(ref ServerMetrics.ClusterPublishFailed);
        Interlocked.Increment(ref _failedWhileDown);
        _logger.PublishFailed(channel.ToString(), why);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
