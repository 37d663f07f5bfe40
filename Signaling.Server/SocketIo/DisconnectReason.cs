namespace Signaling.Server.SocketIo;

/// <summary>The reasons a socket disconnects, spelled as the reference server spells them.</summary>
public static class DisconnectReason
{
    public const string ClientNamespaceDisconnect = "client namespace disconnect";
    public const string ServerNamespaceDisconnect = "server namespace disconnect";
    public const string ServerShuttingDown = "server shutting down";
    public const string ParseError = "parse error";
    public const string ForcedClose = "forced close";
    public const string TransportClose = "transport close";
}
