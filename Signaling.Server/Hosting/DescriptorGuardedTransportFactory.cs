using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Signaling.Server.EngineIo;

namespace Signaling.Server.Hosting;

/// <summary>
/// Kestrel's socket transport with an accept loop that knows about the open-files limit (see
/// <see cref="DescriptorGuardedListener"/>). Kestrel's own loop retries a failed accept at once,
/// so at the limit it spins on EMFILE, starving the thread pool until the runtime, unable to
/// start a thread without a descriptor, aborts the process. Kestrel's socket options
/// (<see cref="SocketTransportOptions"/>, e.g. set with <c>UseSockets</c>) apply as they would to its own transport.
/// When <see cref="EngineIoSocketConnections"/> is registered, Engine.IO WebSockets are served
/// from the accepted sockets and never reach Kestrel.
/// </summary>
public sealed class DescriptorGuardedTransportFactory(IOptions<SocketTransportOptions> options, ILoggerFactory loggerFactory, IServiceProvider services)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>Makes Kestrel listen through this factory: of the transports registered, it uses the last.</summary>
    public static void Register(IServiceCollection services) =>
        services.AddSingleton<IConnectionListenerFactory, DescriptorGuardedTransportFactory>();

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint or UnixDomainSocketEndPoint or FileHandleEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Socket listenSocket;
        try
        {
            listenSocket = options.Value.CreateBoundListenSocket(endpoint);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Kestrel needs this type to tell "taken" from other failures (e.g. when binding localhost).
            throw new AddressInUseException(exception.Message, exception);
        }

        var transport = options.Value;
        listenSocket.Listen(transport.Backlog);
        var connectionOptions = new SocketConnectionFactoryOptions
        {
            IOQueueCount = transport.IOQueueCount,
            WaitForDataBeforeAllocatingBuffer = transport.WaitForDataBeforeAllocatingBuffer,
            MaxReadBufferSize = transport.MaxReadBufferSize,
            MaxWriteBufferSize = transport.MaxWriteBufferSize,
            UnsafePreferInlineScheduling = transport.UnsafePreferInlineScheduling,
        };
        var listener = new DescriptorGuardedListener(
            listenSocket,
            DescriptorBudget.OfCurrentProcess(),
            transport.NoDelay,
            new SocketConnectionContextFactory(connectionOptions, loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets")),
            // Resolved at bind time: the Engine.IO server it serves may be built after the transport.
            // The metrics listener serves no Engine.IO, so its WebSockets are Kestrel's (which refuses them).
            services.GetService<MetricsListeners>()?.Owns(endpoint) == true ? null : services.GetService<EngineIoSocketConnections>(),
            loggerFactory.CreateLogger<DescriptorGuardedListener>());
        return ValueTask.FromResult<IConnectionListener>(listener);
    }
}
