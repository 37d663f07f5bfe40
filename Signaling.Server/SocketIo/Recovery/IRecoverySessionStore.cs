using System.Diagnostics.CodeAnalysis;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>
/// Where the sessions of sockets that are away wait for their clients, keyed by private session
/// id (<c>pid</c>). In one process the session is the socket itself (<see cref="InMemoryRecoverySessionStore"/>);
/// a store shared by a cluster would keep it, with its missed events, where every node can claim it.
/// </summary>
internal interface IRecoverySessionStore
{
    /// <summary>Keeps a session that has just gone away.</summary>
    void Keep(SocketRecovery session);

    /// <summary>Takes the session of <paramref name="pid"/> out of the store, for its client that is back.</summary>
    bool TryClaim(string pid, [MaybeNullWhen(false)] out SocketRecovery session);

    /// <summary>Removes <paramref name="session"/> if still kept; false when it was claimed or removed already.</summary>
    bool TryForget(SocketRecovery session);

    /// <summary>Takes every kept session out, for a server that stops.</summary>
    IReadOnlyList<SocketRecovery> TakeAll();
}
