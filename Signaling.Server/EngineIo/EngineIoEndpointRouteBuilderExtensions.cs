using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Signaling.Server.EngineIo;

/// <summary>Maps an <see cref="EngineIoServer"/> into the endpoint routes.</summary>
public static class EngineIoEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Engine.IO at <see cref="EngineIoOptions.Path"/> (with or without the trailing slash),
    /// all methods. WebSocket transports need <c>app.UseWebSockets()</c> earlier in the pipeline.
    /// </summary>
    public static IEndpointConventionBuilder MapEngineIo(this IEndpointRouteBuilder endpoints, EngineIoServer server)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(server);
        var path = server.Options.Path.TrimEnd('/');
        return endpoints.Map(path.Length == 0 ? "/" : path, (RequestDelegate)server.HandleRequestAsync)
            .WithDisplayName("Engine.IO " + server.Options.Path);
    }
}
