using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Signaling.Server.EngineIo;

/// <summary>Maps an <see cref="EngineIoServer"/> into the endpoint routes.</summary>
internal static class EngineIoEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Engine.IO at <paramref name="path"/>, or at <see cref="EngineIoOptions.Path"/> when
    /// null (with or without the trailing slash), all methods, WebSocket requests included.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="server">The server to serve.</param>
    /// <param name="path">Where clients connect.</param>
    public static IEndpointConventionBuilder MapEngineIo(this IEndpointRouteBuilder endpoints, EngineIoServer server, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(server);
        path ??= server.Options.Path;
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException("An Engine.IO path starts with '/'.", nameof(path));
        }
        // The endpoint's own WebSocket middleware, as SignalR's MapHub has: the application need
        // not call UseWebSockets. Engine.IO has its own heartbeat; WebSocket pings would only add traffic.
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        pipeline.Run(server.HandleRequestAsync);
        var route = path.TrimEnd('/');
        return endpoints.Map(route.Length == 0 ? "/" : route, pipeline.Build())
            .WithDisplayName("Engine.IO " + path);
    }
}
