namespace Signaling.Protocol.Cluster;

/// <summary>The <c>type</c> of classic-adapter requests and responses (@socket.io/redis-adapter 8 <c>RequestType</c>).</summary>
public enum ClassicRequestType
{
    /// <summary>Socket ids in rooms: sent by adapters up to 7.x only; 8.x still answers it.</summary>
    Sockets = 0,

    /// <summary>The rooms of every node.</summary>
    AllRooms = 1,

    /// <summary>Makes matching sockets join rooms.</summary>
    RemoteJoin = 2,

    /// <summary>Makes matching sockets leave rooms.</summary>
    RemoteLeave = 3,

    /// <summary>Disconnects matching sockets.</summary>
    RemoteDisconnect = 4,

    /// <summary>The matching sockets of every node (fetchSockets).</summary>
    RemoteFetch = 5,

    /// <summary>An event for the other servers (serverSideEmit).</summary>
    ServerSideEmit = 6,

    /// <summary>A broadcast with acks (MessagePack on the request channel).</summary>
    Broadcast = 7,

    /// <summary>How many clients a node sent a broadcast with acks to.</summary>
    BroadcastClientCount = 8,

    /// <summary>One client's ack to a broadcast with acks.</summary>
    BroadcastAck = 9,
}
