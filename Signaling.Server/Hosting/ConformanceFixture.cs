using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Signaling.Server.EngineIo;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Hosting;

/// <summary>
/// The server the published Socket.IO and Engine.IO protocol compliance suites expect
/// (socketio/socket.io-protocol and socketio/engine.io-protocol, test-suite/README):
/// namespaces <c>/</c> and <c>/custom</c> that echo, and a bare Engine.IO echo at <c>/engine.io/</c>.
/// </summary>
internal static class ConformanceFixture
{
    public static void Apply(EngineIoOptions engine, SocketIoOptions socket)
    {
        engine.PingInterval = TimeSpan.FromMilliseconds(300);
        engine.PingTimeout = TimeSpan.FromMilliseconds(200);
        engine.MaxHttpBufferSize = 1_000_000;
        engine.CorsOrigins = ["*"];
        socket.ConnectTimeout = TimeSpan.FromMilliseconds(1000);
    }

    public static void Map(WebApplication app, SocketIoServer server, EngineIoOptions engine, EngineIoShutdown shutdown)
    {
        foreach (var name in new[] { "/", "/custom" })
        {
            server.Of(name).OnConnection(OnConnection);
        }
        var echoOptions = new EngineIoOptions
        {
            Path = "/engine.io/",
            PingInterval = engine.PingInterval,
            PingTimeout = engine.PingTimeout,
            MaxHttpBufferSize = engine.MaxHttpBufferSize,
            CorsOrigins = engine.CorsOrigins,
            AllowEio3 = engine.AllowEio3,
        };
        app.MapEngineIo(shutdown.Track(new EngineIoServer(echoOptions, new EchoHandler(), app.Services.GetRequiredService<ILoggerFactory>())));
    }

    private static void OnConnection(SocketIoSocket socket)
    {
        socket.Emit("auth", socket.Handshake.Auth);
        socket.On("message", e => socket.Emit("message-back", [.. e.Args]));
        socket.On("message-with-ack", e => e.Ack([.. e.Args]));
    }
}
