namespace Signaling.Protocol.Cluster;

/// <summary>
/// socket.io-adapter's <c>MessageType</c> (ClusterAdapter, 2.5.3 and later): the sharded Redis adapter's messages.
/// The heartbeat kinds belong to ClusterAdapterWithHeartbeat, which the sharded adapter does not use.
/// </summary>
public enum ClusterMessageType
{
    /// <summary>A node starts: the others answer with a heartbeat.</summary>
    InitialHeartbeat = 1,

    /// <summary>A node is alive.</summary>
    Heartbeat = 2,

    /// <summary>Packets for matching sockets.</summary>
    Broadcast = 3,

    /// <summary>Makes matching sockets join rooms.</summary>
    SocketsJoin = 4,

    /// <summary>Makes matching sockets leave rooms.</summary>
    SocketsLeave = 5,

    /// <summary>Disconnects matching sockets.</summary>
    DisconnectSockets = 6,

    /// <summary>Asks for the matching sockets of every node.</summary>
    FetchSockets = 7,

    /// <summary>One node's matching sockets.</summary>
    FetchSocketsResponse = 8,

    /// <summary>An event for the other servers (serverSideEmit).</summary>
    ServerSideEmit = 9,

    /// <summary>A server's ack to a server-side emit.</summary>
    ServerSideEmitResponse = 10,

    /// <summary>How many clients a node sent a broadcast with acks to.</summary>
    BroadcastClientCount = 11,

    /// <summary>One client's ack to a broadcast with acks.</summary>
    BroadcastAck = 12,

    /// <summary>A node leaves.</summary>
    AdapterClose = 13,
}
