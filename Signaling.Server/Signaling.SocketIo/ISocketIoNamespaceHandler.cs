namespace Signaling.Server.SocketIo;

/// <summary>
/// The sockets of one namespace, registered with
/// <see cref="Microsoft.Extensions.DependencyInjection.SocketIoServerBuilderExtensions.AddNamespace{THandler}"/>:
/// one instance, made from the application's services when the server is first needed.
/// </summary>
public interface ISocketIoNamespaceHandler
{
    /// <summary>
    /// A client joined the namespace: register its events here (<see cref="SocketIoSocket.On"/>).
    /// Called on the connection's thread, so it must not block.
    /// </summary>
    void OnConnection(SocketIoSocket socket);
}
