using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Signaling.Server.Cluster;
using Signaling.Server.EngineIo;
using Signaling.Server.Signaling;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Hosting;

/// <summary>
/// Builds the web application for a command line. Tests call <see cref="Build"/> with
/// <c>--urls http://127.0.0.1:0</c> to run the real server in-process on a loopback port.
/// </summary>
public static class SignalingApp
{
    public const string DefaultUrl = "http://localhost:3000";

    public static async Task<int> RunAsync(string[] args)
    {
        var commandLine = CommandLine.Parse(args);
        if (commandLine.Command == CommandLine.Help)
        {
            Console.WriteLine(CommandLine.HelpText);
            return 0;
        }
        if (commandLine.Command is not (CommandLine.Serve or CommandLine.Conformance))
        {
            await Console.Error.WriteLineAsync($"Unknown command '{commandLine.Command}'.\n\n{CommandLine.HelpText}");
            return 2;
        }
        await using var app = Build(args);
        await app.RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args)
    {
        var commandLine = CommandLine.Parse(args);
        var conformance = commandLine.Command == CommandLine.Conformance;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = commandLine.ConfigurationArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (conformance)
        {
            ConformanceFixture.AddSettings(builder.Configuration);
        }
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var serverOptions = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        var engineOptions = builder.Configuration.GetSection("EngineIo").Get<EngineIoOptions>() ?? new EngineIoOptions();
        var socketOptions = builder.Configuration.GetSection(SocketIoOptions.Section).Get<SocketIoOptions>() ?? new SocketIoOptions();
        var signalingOptions = builder.Configuration.GetSection(SignalingOptions.Section).Get<SignalingOptions>() ?? new SignalingOptions();
        builder.Services.AddSerilog((services, logger) => LogSetup.Configure(logger, builder.Configuration, serverOptions.LogJson));
        builder.Services.AddSingleton(serverOptions);
        builder.Services.AddSingleton(socketOptions);
        // In memory unless Redis:Configuration names a Redis: then a node of a cluster.
        var redisOptions = ClusterServices.Register(builder.Services, builder.Configuration);
        builder.Services.AddSingleton<SocketIoServer>();
        builder.Services.AddSingleton(services => new EngineIoServer(
            engineOptions, services.GetRequiredService<SocketIoServer>(), services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<GracefulShutdown>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GracefulShutdown>());
        // Kestrel's sockets, with an accept loop that stops short of the open-files limit and
        // serves Engine.IO WebSockets straight from their sockets: an idle one then costs a
        // fraction of the memory of one kept open under Kestrel or inside an ASP.NET request.
        DescriptorGuardedTransportFactory.Register(builder.Services);
        EngineIoSocketConnections.Register(builder.Services, services => services.GetRequiredService<EngineIoServer>());

        var app = builder.Build();
        // Engine.IO has its own heartbeat; WebSocket-level pings would only add traffic.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        ClientBundle.Map(app, engineOptions.Path);
        var socketServer = app.Services.GetRequiredService<SocketIoServer>();
        var shutdown = app.Services.GetRequiredService<GracefulShutdown>();
        app.MapEngineIo(shutdown.Track(app.Services.GetRequiredService<EngineIoServer>()));
        if (conformance)
        {
            ConformanceFixture.Map(app, socketServer, engineOptions, shutdown);
        }
        else
        {
            _ = new SignalingRelay(socketServer, signalingOptions, app.Services.GetRequiredService<ILogger<SignalingRelay>>(), redisOptions.Enabled);
            WebPage.Map(app, serverOptions);
        }
        return app;
    }
}
