namespace Microsoft.Extensions.DependencyInjection;

internal sealed class SocketIoServerBuilder(IServiceCollection services) : ISocketIoServerBuilder
{
    public IServiceCollection Services { get; } = services;
}
