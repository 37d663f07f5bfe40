namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <see cref="SocketIoServiceCollectionExtensions.AddSocketIo"/> returns: the services it
/// registered, for the calls that add to the server (namespaces, the signaling relay, Redis).
/// </summary>
public interface ISocketIoServerBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
