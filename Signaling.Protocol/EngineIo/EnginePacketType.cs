namespace Signaling.Protocol.EngineIo;

/// <summary>Engine.IO packet types; the numeric value is the type digit on the wire.</summary>
public enum EnginePacketType
{
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6,
}
