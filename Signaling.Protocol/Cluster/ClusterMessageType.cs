namespace Signaling.Protocol.Cluster;

/// <summary>
/// socket.io-adapter's <c>MessageType</c> (ClusterAdapter, 2.5.3 and later): the sharded Redis adapter's messages.
/// The heartbeat kinds belong to ClusterAdapterWithHeartbeat, which the sharded adapter does not use.
/// </summary>
public enum ClusterMessageType
{
    InitialHeartbeat = 1,
    Heartbeat = 2,
    Broadcast = 3,
    SocketsJoin = 4,
    SocketsLeave = 5,
    DisconnectSockets = 6,
    FetchSockets = 7,
    FetchSocketsResponse = 8,
    ServerSideEmit = 9,
    ServerSideEmitResponse = 10,
    BroadcastClientCount = 11,
    BroadcastAck = 12,
    AdapterClose = 13,
}
