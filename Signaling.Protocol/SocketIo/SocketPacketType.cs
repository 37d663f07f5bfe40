namespace Signaling.Protocol.SocketIo;

/// <summary>Socket.IO packet types; the numeric value is the type digit on the wire.</summary>
public enum SocketPacketType
{
    /// <summary>Joins a namespace (client), or accepts the join (server).</summary>
    Connect = 0,

    /// <summary>Leaves a namespace.</summary>
    Disconnect = 1,

    /// <summary>An event: a name and its arguments, maybe with an ack id.</summary>
    Event = 2,

    /// <summary>The answer to an event that asked for one.</summary>
    Ack = 3,

    /// <summary>The server refuses a join.</summary>
    ConnectError = 4,

    /// <summary>An event followed by binary attachments.</summary>
    BinaryEvent = 5,

    /// <summary>An ack followed by binary attachments.</summary>
    BinaryAck = 6,
}
