using Signaling.Protocol.EngineIo;

namespace Signaling.Server.EngineIo;

/// <summary>
/// One Engine.IO session as the layer above (Socket.IO) sees it: whatever transport
/// carries it now, it sends packets in order and reports what the client sent.
/// </summary>
internal interface IEngineConnection
{
    /// <summary>The session id (<c>sid</c>) given in the handshake.</summary>
    string Id { get; }

    EngineIoVersion Version { get; }

    /// <summary><c>polling</c> or <c>websocket</c>; changes when the client upgrades.</summary>
    string Transport { get; }

    /// <summary>
    /// Whether the client said it is leaving for good: its WebSocket closed with 1001 (going away),
    /// as a browser does when its page is closed or left. Connection state recovery does not wait for it.
    /// </summary>
    bool ClientLeft { get; }

    /// <summary>
    /// A packet queued this long ago on a session that is still open has reached the client: a
    /// ping queued after it has been answered (Engine.IO 4, where the server pings). Infinite for
    /// Engine.IO 3, whose heartbeat proves nothing about what the client received.
    /// </summary>
    TimeSpan DeliveredWithin { get; }

    /// <summary>What the opening HTTP request carried.</summary>
    HandshakeInfo Handshake { get; }

    /// <summary>Queues one packet; never blocks. Ignored once the session is closed.</summary>
    void Send(EnginePacket packet);

    /// <summary>Queues packets that must go out back to back, in order (an event and its attachments).</summary>
    void Send(IReadOnlyList<EnginePacket> packets);

    /// <summary>Flushes what is queued, sends a close packet where the transport allows, and ends the session.</summary>
    void Close(string reason);
}
