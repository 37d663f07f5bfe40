using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;
using Signaling.Server.SocketIo.Recovery;

namespace Signaling.Server.SocketIo;

/// <summary>The CONNECT of a client coming back to a socket that was away (connection state recovery).</summary>
internal sealed partial class SocketIoClient
{
    /// <summary>
    /// Resumes the away socket the CONNECT's <c>{pid, offset}</c> claims; false when there is none
    /// to resume (no claim, an unknown or expired pid, or the offset no longer kept), and the
    /// client gets a new socket as usual. True also when a middleware refused the returning socket.
    /// </summary>
    private bool TryRecover(SocketIoNamespace nsp, JObject? auth, string? namespaceQuery)
    {
        if (Version != SocketIoVersion.V5 || nsp.Recovery is not { } recovery)
        {
            return false;
        }
        if (!recovery.TryClaim(auth, out var session, out var offset))
        {
            return recovery.Store.IsShared && TryRecoverElsewhere(nsp, recovery, auth, namespaceQuery);
        }
        var socket = session.Socket;
        socket.PrepareResume(this, auth, namespaceQuery);
        if (!recovery.Options.SkipMiddlewares && nsp.RunMiddlewares(socket) is { } rejection)
        {
            recovery.Refuse(session, $"a middleware refused it ({rejection.Message})");
            Refuse(nsp.Name, rejection);
            return true;
        }
        if (!socket.TryResume(session, offset, this))
        {
            recovery.Refuse(session, "the events after its offset are no longer kept");
            return false;
        }
        StopConnectTimer();
        UpdateSockets(static (sockets, added) => [.. sockets, added], socket);
        recovery.Log.RecoveryResumed(socket.Id, Connection.Id);
        return true;
    }

    /// <summary>
    /// A claim of a session this node does not hold: another node may keep it in the shared store.
    /// True when that is being looked into; the client then gets its socket back, or a new one,
    /// once the store answers.
    /// </summary>
    private bool TryRecoverElsewhere(SocketIoNamespace nsp, NamespaceRecovery recovery, JObject? auth, string? namespaceQuery)
    {
        if (!NamespaceRecovery.TryReadClaim(auth, out var pid, out var offsetText) || !RecoveryOffset.TryParse(offsetText, out var offset)
            || NamespaceRecovery.SocketIdOf(pid) is not { } id)
        {
            return false;
        }
        // Made before the claim, and in its id room: what is relayed to it from now on is kept
        // with it, and the node that kept the session passes on what it heard after the claim.
        var socket = new SocketIoSocket(id, nsp, this, auth, namespaceQuery, pid);
        if (!nsp.TryAdmitReturning(socket))
        {
            return false;
        }
        _ = RecoverElsewhereAsync(socket, recovery, pid, offset, auth, namespaceQuery);
        return true;
    }

    private async Task RecoverElsewhereAsync(SocketIoSocket socket, NamespaceRecovery recovery, string pid, long offset, JObject? auth, string? namespaceQuery)
    {
        var claimed = await recovery.Store.ClaimElsewhereAsync(pid).ConfigureAwait(false);
        if (claimed is null || !TryResumeClaimed(socket, recovery, claimed, offset))
        {
            socket.Discard();
            if (claimed is not null)
            {
                recovery.Store.Claimed(claimed, resumed: false);
            }
            if (!_closed)
            {
                ConnectNew(socket.Namespace, auth, namespaceQuery);
            }
            return;
        }
        recovery.Store.Claimed(claimed, resumed: true);
        StopConnectTimer();
        UpdateSockets(static (sockets, added) => [.. sockets, added], socket);
        recovery.Log.RecoveryResumedFromElsewhere(socket.Id, Connection.Id, claimed.Missed.Count);
        if (_closed)
        {
            // The connection ended while the store answered: the socket is away again, here.
            socket.OnClose(DisconnectReason.TransportClose);
            return;
        }
        try
        {
            // A new object on this node: the namespace's handlers are set on it as on any socket.
            socket.Namespace.RunConnectionHandler(socket);
        }
        catch (Exception error)
        {
            _server.Log.HandlerFailed(error, "connection", socket.Id);
        }
    }

    private bool TryResumeClaimed(SocketIoSocket socket, NamespaceRecovery recovery, ClaimedSession claimed, long offset)
    {
        socket.Data = claimed.Data;
        foreach (var room in claimed.Rooms)
        {
            socket.Join(room);
        }
        if (!recovery.Options.SkipMiddlewares && socket.Namespace.RunMiddlewares(socket) is { } rejection)
        {
            recovery.Log.RecoveryRefused(socket.Id, $"a middleware refused it ({rejection.Message})");
            return false;
        }
        if (!socket.TryAdoptAndResume(claimed.Missed, offset, this))
        {
            recovery.Log.RecoveryRefused(socket.Id, "the events after its offset are no longer kept");
            return false;
        }
        return true;
    }
}
