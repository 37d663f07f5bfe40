using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serilog;
using Signaling.Server.Cluster;
using Signaling.Server.Diagnostics;
using Signaling.Server.EngineIo;
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
        try
        {
            var commandLine = CommandLine.Parse(args);
            switch (commandLine.Command)
            {
                case CommandLine.Help:
                    Console.WriteLine(CommandLine.HelpText);
                    return 0;
                case CommandLine.Version:
                    Console.WriteLine($"Signaling.Server {InformationalVersion}");
                    return 0;
            }
            await using var app = Build(commandLine);
            await StartFailures.StartAsync(app);
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (StartupException e)
        {
            foreach (var error in e.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error}");
            }
            return e.ExitCode;
        }
    }

    /// <summary>The version the build stamped, with the commit it was built from when known (e.g. <c>1.0.0+3e993e7…</c>).</summary>
    public static string InformationalVersion =>
        typeof(SignalingApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The application for a command line; a mistake in it or in the configuration throws <see cref="StartupException"/>.</summary>
    public static WebApplication Build(string[] args) => Build(CommandLine.Parse(args));

    private static WebApplication Build(CommandLine commandLine)
    {
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
        var options = ConfigurationCheck.Run(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // The slim builder leaves out Kestrel's HTTPS set-up: https:// addresses and the Kestrel:Certificates settings need it.
        builder.WebHost.UseKestrelHttpsConfiguration();
        var metricsOptions = options.Get<MetricsOptions>();
        var metricsListeners = new MetricsListeners(metricsOptions);
        metricsListeners.Listen(builder.WebHost);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var serverOptions = options.Get<ServerOptions>();
        var engineOptions = options.Get<EngineIoOptions>();
        var turnOptions = options.Get<TurnOptions>();
        // The page finds Engine.IO relative to itself (/signaling/config), so both move together.
        var pagePaths = new WebPagePaths(serverOptions.PathBase, engineOptions.Path);
        engineOptions.Path = pagePaths.EnginePath;
        // The same calls as any ASP.NET Core app that hosts the server (README, "Inside your own
        // ASP.NET Core app"): they bind the EngineIo, SocketIo, Signaling and Redis sections again,
        // from the configuration checked above.
        var io = builder.Services.AddSocketIo().ConfigureEngineIo(o => o.Path = pagePaths.EnginePath);
        // In memory unless Redis:Configuration names a Redis: then a node of a cluster.
        if (options.Get<RedisOptions>().Enabled)
        {
            io.AddRedis();
        }
        if (!conformance)
        {
            io.AddSignaling();
        }
        // The program's own options; those of the calls above are theirs already.
        foreach (var (type, instance) in options.All)
        {
            builder.Services.TryAdd(ServiceDescriptor.Singleton(type, instance));
        }
        var forwarded = serverOptions.ForwardedHeaders.Enabled ? serverOptions.ForwardedHeaders.ToOptions() : null;
        builder.Services.AddSerilog((services, logger) => LogSetup.Configure(logger, builder.Configuration, serverOptions.LogJson));
        builder.Services.AddSingleton(metricsListeners);
        HealthEndpoints.Add(builder.Services);
        MetricsEndpoint.Add(builder.Services, metricsOptions);
        // Kestrel's sockets, with an accept loop that stops short of the open-files limit and
        // serves Engine.IO WebSockets straight from their sockets: an idle one then costs a
        // fraction of the memory of one kept open under Kestrel or inside an ASP.NET request.
        DescriptorGuardedTransportFactory.Register(builder.Services);
        EngineIoSocketConnections.Register(builder.Services, services => services.GetRequiredService<EngineIoServer>(), forwarded);

        var app = builder.Build();
        if (forwarded is not null)
        {
            app.UseForwardedHeaders(forwarded);
        }
        metricsListeners.Filter(app);
        HealthEndpoints.Map(app);
        MetricsEndpoint.Map(app, metricsOptions);
        ClientBundle.Map(app, engineOptions.Path);
        var socketServer = app.Services.GetRequiredService<SocketIoServer>();
        app.MapSocketIo(pagePaths.EnginePath);
        if (conformance)
        {
            ConformanceFixture.Map(app, socketServer, engineOptions, app.Services.GetRequiredService<GracefulShutdown>());
        }
        else
        {
            app.MapSignaling();
            WebPage.Map(app, serverOptions, turnOptions, pagePaths);
        }
        return app;
    }
}
