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
        if (Version != SocketIoVersion.V5 || nsp.Recovery is not { } recovery || !recovery.TryClaim(auth, out var session, out var offset))
        {
            return false;
        }
        var socket = session.Socket;
        socket.PrepareResume(auth, namespaceQuery);
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
}
