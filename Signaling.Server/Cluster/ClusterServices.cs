using Microsoft.Extensions.DependencyInjection;
using Signaling.Server.Hosting;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Cluster;

/// <summary>Chooses the namespaces' adapter from configuration: Redis when <c>Redis:Configuration</c> is set, else in memory.</summary>
public static class ClusterServices
{
    /// <summary>
    /// Registers the adapter factory (and the Redis connection, whose loss makes <c>/readyz</c> 503) that
    /// <paramref name="options"/> ask for.
    /// </summary>
    public static void Register(IServiceCollection services, RedisOptions options)
    {
        if (options.Enabled)
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<ISocketIoAdapterFactory, RedisAdapterFactory>();
            services.AddHealthChecks().AddCheck<RedisReadyCheck>(RedisReadyCheck.Name, tags: [HealthTags.Ready]);
        }
        else
        {
            services.AddSingleton<ISocketIoAdapterFactory, InMemoryAdapterFactory>();
        }
    }
}
