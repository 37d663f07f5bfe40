using Microsoft.Extensions.DependencyInjection;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Cluster;

/// <summary>Chooses the namespaces' adapter from configuration: Redis when <c>Redis:Configuration</c> is set, else in memory.</summary>
public static class ClusterServices
{
    /// <summary>Registers the adapter factory (and the Redis connection) that <paramref name="options"/> ask for.</summary>
    public static void Register(IServiceCollection services, RedisOptions options)
    {
        if (options.Enabled)
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<ISocketIoAdapterFactory, RedisAdapterFactory>();
        }
        else
        {
            services.AddSingleton<ISocketIoAdapterFactory, InMemoryAdapterFactory>();
        }
    }
}
