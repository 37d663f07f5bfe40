namespace Signaling.Protocol.EngineIo;

/// <summary>Engine.IO packet types; the numeric value is the type digit on the wire.</summary>
public enum EnginePacketType
{
    /// <summary>The server's handshake: session id, upgrades, heartbeat.</summary>
    Open = 0,

    /// <summary>Ends the session.</summary>
    Close = 1,

    /// <summary>A heartbeat (from the server in v4, from the client in v3), or a transport probe.</summary>
    Ping = 2,

    /// <summary>The answer to a ping or a probe.</summary>
    Pong = 3,

    /// <summary>Data for the layer above.</summary>
    Message = 4,

    /// <summary>The client switches to the probed transport.</summary>
    Upgrade = 5,

    /// <summary>Nothing: ends a pending poll during an upgrade.</summary>
    Noop = 6,
}
