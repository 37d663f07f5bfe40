using System.Diagnostics.CodeAnalysis;
using Signaling.Protocol.EngineIo;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>
/// Where the sessions of sockets that are away wait for their clients, keyed by private session
/// id (<c>pid</c>). In one process the session is the socket itself (<see cref="InMemoryRecoverySessionStore"/>);
/// a store shared by a cluster (<see cref="Cluster.RedisRecoverySessionStore"/>) also keeps it, with
/// its missed events, where every node can claim it.
/// </summary>
internal interface IRecoverySessionStore
{
    /// <summary>The offset the namespace's counter starts after: offsets of a shared store's nodes never collide.</summary>
    long FirstOffset { get; }

    /// <summary>Whether a client may claim here a session another node keeps (<see cref="ClaimElsewhereAsync"/>).</summary>
    bool IsShared { get; }

    /// <summary>Keeps a session that has just gone away.</summary>
    void Keep(SocketRecovery session);

    /// <summary>
    /// An event kept for <paramref name="session"/> while it is away, in the order kept (called
    /// under the session's lock): a shared store copies it where the node that claims it finds it.
    /// </summary>
    void KeptWhileAway(SocketRecovery session, long offset, IReadOnlyList<EnginePacket> frames);

    /// <summary>Takes the session of <paramref name="pid"/> out of the store, for its client that is back.</summary>
    bool TryClaim(string pid, [MaybeNullWhen(false)] out SocketRecovery session);

    /// <summary>Removes <paramref name="session"/> if still kept; false when it was claimed or removed already.</summary>
    bool TryForget(SocketRecovery session);

    /// <summary>Takes every kept session out, for a server that stops.</summary>
    IReadOnlyList<SocketRecovery> TakeAll();

    /// <summary>Takes out the session of <paramref name="pid"/> that another node keeps; null when there is none (or it expired).</summary>
    Task<ClaimedSession?> ClaimElsewhereAsync(string pid);

    /// <summary>Tells the node that kept a claimed session how the claim ended: resumed here (it drops its copy) or not (its socket ends).</summary>
    void Claimed(ClaimedSession session, bool resumed);
}
