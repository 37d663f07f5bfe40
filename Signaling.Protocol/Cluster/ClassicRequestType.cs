namespace Signaling.Protocol.Cluster;

/// <summary>The <c>type</c> of classic-adapter requests and responses (@socket.io/redis-adapter 8 <c>RequestType</c>).</summary>
public enum ClassicRequestType
{
    /// <summary>Socket ids in rooms: sent by adapters up to 7.x only; 8.x still answers it.</summary>
    Sockets = 0,
    AllRooms = 1,
    RemoteJoin = 2,
    RemoteLeave = 3,
    RemoteDisconnect = 4,
    RemoteFetch = 5,
    ServerSideEmit = 6,

    /// <summary>A broadcast with acks (MessagePack on the request channel).</summary>
    Broadcast = 7,
    BroadcastClientCount = 8,
    BroadcastAck = 9,
}
