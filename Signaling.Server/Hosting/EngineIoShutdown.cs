using Microsoft.Extensions.Hosting;
using Signaling.Server.EngineIo;

namespace Signaling.Server.Hosting;

/// <summary>
/// On Ctrl-C or SIGTERM, tells every connected client goodbye (a close packet) as soon as
/// stopping begins. It must run before Kestrel's graceful stop, which would otherwise wait for
/// the open long-polls and WebSockets until its timeout.
/// </summary>
public sealed class EngineIoShutdown : IHostedLifecycleService
{
    private readonly List<EngineIoServer> _servers = [];

    public EngineIoServer Track(EngineIoServer server)
    {
        _servers.Add(server);
        return server;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_servers.Select(server => server.ShutdownAsync(cancellationToken)));

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
