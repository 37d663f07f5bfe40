using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Cluster;

/// <summary>Chooses the namespaces' adapter from configuration: Redis when <c>Redis:Configuration</c> is set, else in memory.</summary>
public static class ClusterServices
{
    /// <summary>Registers <see cref="RedisOptions"/> and the adapter factory; returns the options.</summary>
    public static RedisOptions Register(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        services.AddSingleton(options);
        if (options.Enabled)
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<ISocketIoAdapterFactory, RedisAdapterFactory>();
        }
        else
        {
            services.AddSingleton<ISocketIoAdapterFactory, InMemoryAdapterFactory>();
        }
        return options;
    }
}
