namespace Signaling.Server.SocketIo;

/// <summary>The reasons a socket disconnects, spelled as the reference server spells them.</summary>
public static class DisconnectReason
{
    /// <summary>The client left the namespace.</summary>
    public const string ClientNamespaceDisconnect = "client namespace disconnect";
    /// <summary>The server made the socket leave (<see cref="SocketIoSocket.Disconnect"/>).</summary>
    public const string ServerNamespaceDisconnect = "server namespace disconnect";
    /// <summary>The server is stopping.</summary>
    public const string ServerShuttingDown = "server shutting down";
    /// <summary>The client sent a packet that does not follow the protocol.</summary>
    public const string ParseError = "parse error";
    /// <summary>The server closed the connection under the socket (its Engine.IO session).</summary>
    public const string ForcedClose = "forced close";

    /// <summary>The client sent a packet out of step (for a namespace it has not joined, a second CONNECT): closed, as the reference does.</summary>
    public const string ForcedServerClose = "forced server close";

    /// <summary>The client kept sending far past its rate limit (<c>SocketIo:RateLimit</c>).</summary>
    public const string RateLimited = "rate limited";

    /// <summary>The client stopped reading and the server held more than <c>EngineIo:MaxBufferedBytes</c> for it.</summary>
    public const string SlowConsumer = EngineIo.EngineCloseReason.SlowConsumer;

    /// <summary>The connection was lost or closed by the client.</summary>
    public const string TransportClose = "transport close";
}
