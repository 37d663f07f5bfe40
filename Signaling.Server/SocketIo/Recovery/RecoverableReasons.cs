namespace Signaling.Server.SocketIo.Recovery;

/// <summary>The disconnect reasons after which a socket waits for its client instead of ending.</summary>
internal static class RecoverableReasons
{
    /// <summary>
    /// The transport failing under the client, as in the reference's list. Left out: a close the
    /// server chose ("forced close": a kick or a limit must not be undone by reconnecting) and
    /// "server shutting down" (a session kept in this process's memory ends with it).
    /// </summary>
    public static bool Contains(string reason) => reason is "transport close" or "transport error" or "ping timeout";
}
