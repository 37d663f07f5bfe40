namespace Signaling.Server.SocketIo;

/// <summary>Makes each namespace's adapter: registered in DI, so configuration chooses in-memory or a cluster.</summary>
internal interface ISocketIoAdapterFactory
{
    ISocketIoAdapter Create(SocketIoNamespace nsp);
}
