using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.Memory;
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
    /// <summary>
    /// The suites' settings, above appsettings.json and environment variables but below the
    /// command line, so that one setting can still be changed for a run.
    /// </summary>
    public static void AddSettings(IConfigurationBuilder configuration)
    {
        var settings = new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["EngineIo:PingInterval"] = "00:00:00.300",
                ["EngineIo:PingTimeout"] = "00:00:00.200",
                ["EngineIo:MaxHttpBufferSize"] = "1000000",
                ["EngineIo:CorsOrigins:0"] = "*",
                ["SocketIo:ConnectTimeout"] = "00:00:01",
            },
        };
        // The host adds the command line twice (host and app settings); the last one wins over appsettings.json.
        var commandLine = configuration.Sources.ToList().FindLastIndex(source => source is CommandLineConfigurationSource);
        configuration.Sources.Insert(commandLine < 0 ? configuration.Sources.Count : commandLine, settings);
    }

    public static void Map(WebApplication app, SocketIoServer server, EngineIoOptions engine, GracefulShutdown shutdown)
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
