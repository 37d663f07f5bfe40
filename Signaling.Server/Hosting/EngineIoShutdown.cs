using Microsoft.Extensions.Hosting;
using Signaling.Server.EngineIo;

namespace Signaling.Server.Hosting;

/// <summary>
/// On Ctrl-C or SIGTERM, tells every connected client goodbye (a close packet) while Kestrel
/// still runs, so that pending long-polls end and the process exits within seconds.
/// </summary>
public sealed class EngineIoShutdown : IHostedService
{
    private readonly List<EngineIoServer> _servers = [];

    public EngineIoServer Track(EngineIoServer server)
    {
        _servers.Add(server);
        return server;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_servers.Select(server => server.ShutdownAsync(cancellationToken)));
}
