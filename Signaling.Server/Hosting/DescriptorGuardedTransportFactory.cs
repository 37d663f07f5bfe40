using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Signaling.Server.Hosting;

/// <summary>
/// Kestrel's socket transport with an accept loop that knows about the open-files limit (see
/// <see cref="DescriptorGuardedListener"/>). Kestrel's own loop retries a failed accept at once,
/// so at the limit it spins on EMFILE, starving the thread pool until the runtime, unable to
/// start a thread without a descriptor, aborts the process.
/// </summary>
public sealed class DescriptorGuardedTransportFactory(ILoggerFactory loggerFactory) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    // Kestrel's default backlog (SocketTransportOptions.Backlog).
    private const int Backlog = 512;

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint or UnixDomainSocketEndPoint or FileHandleEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Socket listenSocket;
        try
        {
            listenSocket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Kestrel needs this type to tell "taken" from other failures (e.g. when binding localhost).
            throw new AddressInUseException(exception.Message, exception);
        }

        listenSocket.Listen(Backlog);
        var listener = new DescriptorGuardedListener(
            listenSocket,
            DescriptorBudget.OfCurrentProcess(),
            new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets")),
            loggerFactory.CreateLogger<DescriptorGuardedListener>());
        return ValueTask.FromResult<IConnectionListener>(listener);
    }
}
