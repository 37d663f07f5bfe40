using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>
/// Connection state recovery for one namespace: hands out the offsets of its events and finds
/// the session a returning client claims with the <c>{pid, offset}</c> of its CONNECT.
/// </summary>
internal sealed class NamespaceRecovery(SocketIoNamespace nsp, RecoveryOptions options, IRecoverySessionStore store, TimeProvider time, ILogger log)
{
    // A pid is a secret of this length followed by the socket id, so the socket of a pid is found
    // without an index of every live socket (see TryTakeOver).
    private const int SecretLength = 20;

    private long _lastOffset = store.FirstOffset;

    public RecoveryOptions Options { get; } = options;

    public IRecoverySessionStore Store { get; } = store;

    public TimeProvider Time { get; } = time;

    public ILogger Log { get; } = log;

    /// <summary>
    /// One counter for the whole namespace, so a broadcast carries the same offset to every
    /// recipient and is still encoded once; a client only ever compares offsets for equality.
    /// </summary>
    public long NextOffset() => Interlocked.Increment(ref _lastOffset);

    public SocketRecovery Track(SocketIoSocket socket) => new(this, socket, SocketIoClient.NewId() + socket.Id);

    /// <summary>The recovery side of a socket made for a session claimed from another node: same pid, away until it resumes.</summary>
    public SocketRecovery Adopt(SocketIoSocket socket, string pid) => new(this, socket, pid, away: true);

    /// <summary>The socket id a pid belongs to; null for a pid this server cannot have made.</summary>
    public static string? SocketIdOf(string pid) => pid.Length > SecretLength ? pid[SecretLength..] : null;

    /// <summary>
    /// The away session a CONNECT's auth claims, taken out of the store. Like the reference, both
    /// <c>pid</c> and <c>offset</c> must be strings; a claim whose offset is not ours ends that session
    /// at once (its client starts afresh, so nobody can come back to it).
    /// </summary>
    public bool TryClaim(JObject? auth, [MaybeNullWhen(false)] out SocketRecovery session, out long offset)
    {
        session = null;
        offset = 0;
        if (!TryReadClaim(auth, out var pid, out var offsetText) || !(Store.TryClaim(pid, out var claimed) || TryTakeOver(pid, out claimed)))
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

    /// <summary>The <c>{pid, offset}</c> of a CONNECT's auth; both must be strings, as the reference requires.</summary>
    public static bool TryReadClaim(JObject? auth, [NotNullWhen(true)] out string? pid, [NotNullWhen(true)] out string? offset)
    {
        pid = auth?["pid"] is JValue { Type: JTokenType.String, Value: string p } ? p : null;
        offset = auth?["offset"] is JValue { Type: JTokenType.String, Value: string o } ? o : null;
        return pid is not null && offset is not null;
    }

    /// <summary>
    /// The client is back while its socket still looks connected: its old transport died without
    /// the server noticing yet (a phone on a new network; the server would learn of it only at the
    /// ping timeout). The pid proves it is the same client, so that transport is given up now.
    /// </summary>
    private bool TryTakeOver(string pid, [MaybeNullWhen(false)] out SocketRecovery session)
    {
        session = null;
        if (SocketIdOf(pid) is not { } id || !nsp.TryGetSocket(id, out var socket)
            || socket.Pid is not { } owned || !SameSecret(owned, pid) || !socket.Connected)
        {
            return false;
        }
        var abandoned = socket.Client.Connection;
        socket.OnClose(DisconnectReason.TransportClose);
        abandoned.Close(DisconnectReason.ForcedClose);
        Log.RecoveryTakenOver(socket.Id, abandoned.Id);
        return Store.TryClaim(pid, out session);
    }

    private static bool SameSecret(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(a.AsSpan()), MemoryMarshal.AsBytes(b.AsSpan()));

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
