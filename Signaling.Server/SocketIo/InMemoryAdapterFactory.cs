namespace Signaling.Server.SocketIo;

/// <summary>The default: every namespace on this node alone.</summary>
internal sealed class InMemoryAdapterFactory : ISocketIoAdapterFactory
{
    public ISocketIoAdapter Create(SocketIoNamespace nsp) => new InMemoryAdapter(nsp);
}
