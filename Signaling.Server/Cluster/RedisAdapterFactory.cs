using Microsoft.Extensions.Logging;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Cluster;

/// <summary>Each namespace on the node's one Redis connection, on the classic or the sharded wire (<see cref="RedisOptions.Sharded"/>).</summary>
internal sealed class RedisAdapterFactory(RedisConnection redis, RedisOptions options, ILoggerFactory loggers) : ISocketIoAdapterFactory
{
    private readonly ILogger _logger = loggers.CreateLogger<RedisAdapterFactory>();

    public RedisConnection Connection => redis;

    public ISocketIoAdapter Create(SocketIoNamespace nsp) => options.Sharded
        ? new ShardedRedisAdapter(nsp, redis, options, _logger)
        : new ClassicRedisAdapter(nsp, redis, options, _logger);
}
