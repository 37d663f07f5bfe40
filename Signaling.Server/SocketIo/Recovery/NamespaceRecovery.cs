using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>
/// Connection state recovery for one namespace: hands out the offsets of its events and finds
/// the session a returning client claims with the <c>{pid, offset}</c> of its CONNECT.
/// </summary>
internal sealed class NamespaceRecovery(RecoveryOptions options, IRecoverySessionStore store, TimeProvider time, ILogger log)
{
    private long _lastOffset;

    public RecoveryOptions Options { get; } = options;

    public IRecoverySessionStore Store { get; } = store;

    public TimeProvider Time { get; } = time;

    public ILogger Log { get; } = log;

    /// <summary>
    /// One counter for the whole namespace, so a broadcast carries the same offset to every
    /// recipient and is still encoded once; a client only ever compares offsets for equality.
    /// </summary>
    public long NextOffset() => Interlocked.Increment(ref _lastOffset);

    public SocketRecovery Track(SocketIoSocket socket) => new(this, socket, SocketIoClient.NewId());

    /// <summary>
    /// The away session a CONNECT's auth claims, taken out of the store. Like the reference, both
    /// <c>pid</c> and <c>offset</c> must be strings; a claim whose offset is not ours ends that session
    /// at once (its client starts afresh, so nobody can come back to it).
    /// </summary>
    public bool TryClaim(JObject? auth, [MaybeNullWhen(false)] out SocketRecovery session, out long offset)
    {
        session = null;
        offset = 0;
        if (auth?["pid"] is not JValue { Type: JTokenType.String, Value: string pid }
            || auth["offset"] is not JValue { Type: JTokenType.String, Value: string offsetText }
            || !Store.TryClaim(pid, out var claimed))
        {
            return false;
        }
        if (!RecoveryOffset.TryParse(offsetText, out offset))
        {
            Refuse(claimed, "an offset this server never sent");
            return false;
        }
        session = claimed;
        return true;
    }

    /// <summary>Ends a claimed session that cannot be resumed; its client gets a new socket.</summary>
    public void Refuse(SocketRecovery session, string why)
    {
        Log.RecoveryRefused(session.Socket.Id, why);
        session.Socket.OnClose(session.AwayReason);
    }

    /// <summary>Ends every away socket, for a server that stops: nothing kept in this process outlives it.</summary>
    public void EndAll(string reason)
    {
        foreach (var session in Store.TakeAll())
        {
            session.Socket.OnClose(reason);
        }
    }
}
