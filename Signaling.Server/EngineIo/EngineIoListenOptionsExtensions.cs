using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Signaling.Server.EngineIo;

/// <summary>Serves Engine.IO WebSockets on a Kestrel endpoint without the HTTP pipeline.</summary>
public static class EngineIoListenOptionsExtensions
{
    /// <summary>
    /// Opens Engine.IO WebSockets of <paramref name="listenOptions"/> straight from the connection,
    /// which keeps an idle WebSocket much smaller than one accepted through ASP.NET; every other
    /// request, and every request Engine.IO refuses, reaches the HTTP pipeline unchanged, so
    /// <see cref="EngineIoEndpointRouteBuilderExtensions.MapEngineIo"/> is still needed. The new
    /// connection's first request head must arrive within Kestrel's
    /// <see cref="KestrelServerLimits.KeepAliveTimeout"/> and, once begun, within its
    /// <see cref="KestrelServerLimits.RequestHeadersTimeout"/>, else the connection is closed.
    /// </summary>
    /// <param name="listenOptions">A plain-HTTP endpoint (TLS and HTTP/2 connections pass through untouched).</param>
    /// <param name="server">Gives the Engine.IO server once the application's services exist.</param>
    public static ListenOptions UseEngineIoWebSockets(this ListenOptions listenOptions, Func<IServiceProvider, EngineIoServer> server)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(server);
        listenOptions.Use(next =>
        {
            var limits = listenOptions.KestrelServerOptions.Limits;
            return new EngineIoWebSocketConnections(next, server(listenOptions.ApplicationServices), limits.KeepAliveTimeout, limits.RequestHeadersTimeout)
                .OnConnectionAsync;
        });
        return listenOptions;
    }
}
