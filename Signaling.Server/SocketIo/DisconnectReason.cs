namespace Signaling.Server.SocketIo;

/// <summary>The reasons a socket disconnects, spelled as the reference server spells them.</summary>
public static class DisconnectReason
{
    public const string ClientNamespaceDisconnect = "client namespace disconnect";
    public const string ServerNamespaceDisconnect = "server namespace disconnect";
    public const string ServerShuttingDown = "server shutting down";
    public const string ParseError = "parse error";
    public const string ForcedClose = "forced close";

    /// <summary>The client sent a packet out of step (for a namespace it has not joined, a second CONNECT): closed, as the reference does.</summary>
    public const string ForcedServerClose = "forced server close";

    /// <summary>The client kept sending far past its rate limit (<c>SocketIo:RateLimit</c>).</summary>
    public const string RateLimited = "rate limited";

    /// <summary>The client stopped reading and the server held more than <c>EngineIo:MaxBufferedBytes</c> for it.</summary>
    public const string SlowConsumer = EngineIo.EngineCloseReason.SlowConsumer;

    public const string TransportClose = "transport close";
}
