using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Signaling.Server.Cluster;
using Signaling.Server.Diagnostics;
using Signaling.Server.EngineIo;
using Signaling.Server.Signaling;
using Signaling.Server.SocketIo;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>What can be added to the server that <see cref="SocketIoServiceCollectionExtensions.AddSocketIo"/> registered.</summary>
public static class SocketIoServerBuilderExtensions
{
    /// <summary>Changes the Engine.IO options (heartbeat, transports, CORS, limits...) after the <c>EngineIo</c> section is bound.</summary>
    /// <param name="builder">The server's builder.</param>
    /// <param name="configure">Sets options; runs once, when the server is made.</param>
    public static ISocketIoServerBuilder ConfigureEngineIo(this ISocketIoServerBuilder builder, Action<EngineIoOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindOptions(EngineIoOptions.Section, configure);
        return builder;
    }

    /// <summary>
    /// Opens the namespace <paramref name="name"/> (such as <c>/chat</c>) with a
    /// <typeparamref name="THandler"/> made from the application's services, which hears of
    /// every socket that joins it. Clients may join only the namespaces opened on the server.
    /// </summary>
    /// <typeparam name="THandler">The namespace's handler; its constructor may take any registered service.</typeparam>
    /// <param name="builder">The server's builder.</param>
    /// <param name="name">The namespace, starting with <c>/</c>.</param>
    public static ISocketIoServerBuilder AddNamespace<THandler>(this ISocketIoServerBuilder builder, string name)
        where THandler : class, ISocketIoNamespaceHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<THandler>();
        return builder.AddNamespace(name, (nsp, services) => nsp.OnConnection(services.GetRequiredService<THandler>().OnConnection));
    }

    /// <summary>
    /// Opens the namespace <paramref name="name"/> and sets it up with <paramref name="configure"/>
    /// when the server is made: connection handler, middlewares (<see cref="SocketIoNamespace.Use"/>),
    /// raw events, connection state recovery.
    /// </summary>
    /// <param name="builder">The server's builder.</param>
    /// <param name="name">The namespace, starting with <c>/</c>.</param>
    /// <param name="configure">Sets the namespace up; the provider gives the application's services.</param>
    public static ISocketIoServerBuilder AddNamespace(this ISocketIoServerBuilder builder, string name, Action<SocketIoNamespace, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        if (!name.StartsWith('/'))
        {
            throw new ArgumentException("A namespace name starts with '/'.", nameof(name));
        }
        builder.Services.AddSingleton(new NamespaceRegistration(name, configure));
        return builder;
    }

    /// <summary>
    /// Registers the signaling relay of docs/SIGNALING.md (presence through <c>online</c>, call
    /// events relayed with the sender's id), its options bound from the <c>Signaling</c> section.
    /// <c>app.MapSignaling()</c> then puts it on the main namespace.
    /// </summary>
    /// <param name="builder">The server's builder.</param>
    /// <param name="configure">Changes the relay's options after the configuration is bound.</param>
    public static ISocketIoServerBuilder AddSignaling(this ISocketIoServerBuilder builder, Action<SignalingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindOptions(SignalingOptions.Section, configure);
        builder.Services.TryAddSingleton(services => new SignalingRelay(
            services.GetRequiredService<SocketIoServer>(),
            services.GetRequiredService<SignalingOptions>(),
            services.GetRequiredService<ILogger<SignalingRelay>>(),
            cluster: services.GetRequiredService<ISocketIoAdapterFactory>() is RedisAdapterFactory));
        return builder;
    }

    /// <summary>
    /// Makes this server a node of a cluster on Redis, wire-compatible with the Node.js
    /// <c>@socket.io/redis-adapter</c>: options bound from the <c>Redis</c> section
    /// (<c>Redis:Configuration</c>, a StackExchange.Redis configuration string, must be set).
    /// Adds a health check tagged <see cref="HealthTags.Ready"/> that fails while Redis is unreachable.
    /// </summary>
    /// <param name="builder">The server's builder.</param>
    /// <param name="configure">Changes the Redis options after the configuration is bound.</param>
    public static ISocketIoServerBuilder AddRedis(this ISocketIoServerBuilder builder, Action<RedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindOptions(RedisOptions.Section, configure);
        builder.Services.TryAddSingleton<RedisConnection>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISocketIoAdapterFactory, RedisAdapterFactory>());
        // While Redis is away the node serves only its own clients: readiness (HealthTags.Ready) says so.
        builder.Services.AddHealthChecks().AddCheck<RedisReadyCheck>(RedisReadyCheck.Name, tags: [HealthTags.Ready]);
        return builder;
    }
}
