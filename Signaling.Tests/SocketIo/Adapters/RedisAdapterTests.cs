using Microsoft.Extensions.Logging.Abstractions;
using Signaling.Server.Cluster;
using Signaling.Tests.Cluster;

namespace Signaling.Tests.SocketIo.Adapters;

/// <summary>The adapter specification on two nodes (two servers in this process, each with its own Redis connection) of one redis-server.</summary>
[TestFixture(false, TestName = "Classic")]
[TestFixture(true, TestName = "Sharded")]
[Parallelizable(ParallelScope.All)]
public sealed class RedisAdapterTests(bool sharded) : AdapterSpecification
{
    internal override async Task<AdapterCluster> StartClusterAsync()
    {
        var redis = await RedisServer.StartAsync();
        var (first, firstRedis) = await StartNodeAsync(redis.Configuration, sharded);
        var (second, secondRedis) = await StartNodeAsync(redis.Configuration, sharded);
        return new AdapterCluster(first, second, firstRedis, secondRedis, redis);
    }

    /// <summary>A node with its own Redis connection, as a separate process would have.</summary>
    /// <param name="subscriptionMode">The sharded adapter's mode (dynamic when null).</param>
    internal static async Task<(SocketIoTestHost Node, RedisConnection Redis)> StartNodeAsync(string configuration, bool sharded, string? subscriptionMode = null)
    {
        var options = new RedisOptions
        {
            Configuration = configuration,
            Sharded = sharded,
            SubscriptionMode = subscriptionMode,
            RequestsTimeout = TimeSpan.FromSeconds(3),
        };
        var connection = new RedisConnection(options, NullLogger<RedisConnection>.Instance);
        return (await SocketIoTestHost.StartAsync(adapters: new RedisAdapterFactory(connection, options, NullLoggerFactory.Instance)), connection);
    }
}
