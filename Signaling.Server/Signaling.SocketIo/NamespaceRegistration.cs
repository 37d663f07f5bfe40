using Signaling.Server.SocketIo;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>One namespace to open on the server when it is made, with what sets it up.</summary>
internal sealed record NamespaceRegistration(string Name, Action<SocketIoNamespace, IServiceProvider> Configure);
