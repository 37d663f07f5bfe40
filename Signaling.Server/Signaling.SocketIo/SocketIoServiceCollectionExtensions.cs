using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Signaling.Server.EngineIo;
using Signaling.Server.SocketIo;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Socket.IO server to an application's services, as <c>AddSignalR</c> does for SignalR.</summary>
public static class SocketIoServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Engine.IO and Socket.IO servers (<see cref="EngineIoServer"/>,
    /// <see cref="SocketIoServer"/>), their options bound from the <c>EngineIo</c> and
    /// <c>SocketIo</c> configuration sections and checked when the application starts, and the
    /// in-memory adapter unless another adapter is registered (<c>AddRedis()</c>). When the
    /// application stops, every socket ends with "server shutting down" and every client is told
    /// goodbye before Kestrel waits for open requests. Serve it with <c>app.MapSocketIo()</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes the Socket.IO options after the configuration is bound.</param>
    public static ISocketIoServerBuilder AddSocketIo(this IServiceCollection services, Action<SocketIoOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new SocketIoServerBuilder(services);
        builder.BindOptions<EngineIoOptions>(EngineIoOptions.Section);
        var socketIo = builder.BindOptions<SocketIoOptions>(SocketIoOptions.Section);
        if (configure is not null)
        {
            socketIo.Configure(configure);
        }
        services.TryAddSingleton<ISocketIoAdapterFactory, InMemoryAdapterFactory>();
        services.TryAddSingleton(provider =>
        {
            var server = new SocketIoServer(
                provider.GetRequiredService<SocketIoOptions>(),
                provider.GetRequiredService<ILogger<SocketIoServer>>(),
                provider.GetService<TimeProvider>(),
                provider.GetRequiredService<ISocketIoAdapterFactory>());
            foreach (var registration in provider.GetServices<NamespaceRegistration>())
            {
                registration.Configure(server.Of(registration.Name), provider);
            }
            return server;
        });
        services.TryAddSingleton(provider => provider.GetRequiredService<GracefulShutdown>().Track(new EngineIoServer(
            provider.GetRequiredService<EngineIoOptions>(),
            provider.GetRequiredService<SocketIoServer>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetService<TimeProvider>())));
        if (!services.Any(service => service.ServiceType == typeof(GracefulShutdown)))
        {
            services.AddSingleton<GracefulShutdown>();
            services.AddHostedService(provider => provider.GetRequiredService<GracefulShutdown>());
        }
        return builder;
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/> (once, however often it is
    /// asked for), validated at start, and registers its value itself for the constructors that take it;
    /// <paramref name="configure"/>, when given, runs after the section is bound.
    /// </summary>
    internal static OptionsBuilder<T> BindOptions<T>(this ISocketIoServerBuilder builder, string section, Action<T>? configure = null)
        where T : class
    {
        var services = builder.Services;
        if (!services.Any(service => service.ServiceType == typeof(OptionsSection<T>)))
        {
            services.AddSingleton(new OptionsSection<T>(section));
            services.AddSingleton<IConfigureOptions<T>, SectionOptions<T>>();
            services.AddSingleton<IValidateOptions<T>, SectionOptions<T>>();
            services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<T>>().Value);
        }
        var options = services.AddOptions<T>().ValidateOnStart();
        return configure is null ? options : options.Configure(configure);
    }
}
