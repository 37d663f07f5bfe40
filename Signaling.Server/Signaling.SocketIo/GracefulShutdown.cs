using Microsoft.Extensions.Hosting;
using Signaling.Server.EngineIo;

namespace Signaling.Server.SocketIo;

/// <summary>
/// On Ctrl-C or SIGTERM, as soon as stopping begins: ends every socket with "server shutting
/// down" (as the reference), then tells every connected client goodbye (a close packet). It must
/// run before Kestrel's graceful stop, which would otherwise wait for the open long-polls and
/// WebSockets until its timeout. <c>AddSocketIo()</c> registers it and tracks its Engine.IO server.
/// </summary>
internal sealed class GracefulShutdown(SocketIoServer sockets) : IHostedLifecycleService
{
    private readonly List<EngineIoServer> _servers = [];

    public EngineIoServer Track(EngineIoServer server)
    {
        _servers.Add(server);
        return server;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        sockets.Shutdown();
        return Task.WhenAll(_servers.Select(server => server.ShutdownAsync(cancellationToken)));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
