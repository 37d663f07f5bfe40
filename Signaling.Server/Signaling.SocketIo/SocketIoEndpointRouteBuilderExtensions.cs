using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Signaling.Server.EngineIo;
using Signaling.Server.Signaling;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves the Socket.IO server that <c>services.AddSocketIo()</c> registered, as <c>MapHub</c> does for SignalR.</summary>
public static class SocketIoEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Engine.IO and Socket.IO (polling and WebSocket, with or without the trailing slash)
    /// at <paramref name="path"/>, or at <c>EngineIo:Path</c> (default <c>/socket.io/</c>) when null.
    /// The namespaces added with <c>AddNamespace</c> are opened now.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="path">Where clients connect, such as <c>/socket.io/</c>.</param>
    public static IEndpointConventionBuilder MapSocketIo(this IEndpointRouteBuilder endpoints, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var server = endpoints.ServiceProvider.GetService<EngineIoServer>()
            ?? throw new InvalidOperationException("MapSocketIo needs the server's services: call builder.Services.AddSocketIo() first.");
        return endpoints.MapEngineIo(server, path);
    }

    /// <summary>
    /// Puts the signaling relay registered with <c>AddSignaling()</c> on the main namespace
    /// <c>/</c>: presence through <c>online</c> and the call events of docs/SIGNALING.md.
    /// </summary>
    /// <param name="endpoints">The application's routes (for its services).</param>
    public static IEndpointRouteBuilder MapSignaling(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _ = endpoints.ServiceProvider.GetService<SignalingRelay>()
            ?? throw new InvalidOperationException("MapSignaling needs the relay's services: call builder.Services.AddSocketIo().AddSignaling() first.");
        return endpoints;
    }
}
