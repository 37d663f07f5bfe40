namespace Signaling.Server.SocketIo;

/// <summary>The default: every namespace on this node alone.</summary>
public sealed class InMemoryAdapterFactory : ISocketIoAdapterFactory
{
    public ISocketIoAdapter Create(SocketIoNamespace nsp) => new InMemoryAdapter(nsp);
}
