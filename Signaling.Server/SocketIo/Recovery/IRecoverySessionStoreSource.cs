namespace Signaling.Server.SocketIo.Recovery;

/// <summary>An adapter whose nodes share a store of away sessions, so that a client may come back to any node.</summary>
internal interface IRecoverySessionStoreSource
{
    /// <summary>The store of the adapter's namespace, for <see cref="SocketIoNamespace.EnableRecovery"/>.</summary>
    IRecoverySessionStore CreateRecoveryStore(RecoveryOptions options);
}
