namespace Signaling.Protocol.Cluster;

/// <summary>
/// The shard channels (SSUBSCRIBE/SPUBLISH, Redis 7) of @socket.io/redis-adapter's <c>createShardedAdapter</c> for
/// one namespace. Same names as the classic broadcast channels, in Redis's separate shard-channel space.
/// </summary>
internal sealed class ShardedChannels
{
    /// <summary>The channels of namespace <paramref name="nsp"/>; <paramref name="prefix"/> is the adapter's <c>channelPrefix</c>, <c>socket.io</c> by default.</summary>
    public ShardedChannels(string prefix, string nsp, ShardedSubscriptionMode mode = ShardedSubscriptionMode.Dynamic)
    {
        Main = $"{prefix}#{nsp}#";
        Mode = mode;
    }

    /// <summary><c>socket.io#/#</c>: every message but responses and one-room broadcasts; SHARDNUMSUB of it is the server count.</summary>
    public string Main { get; }

    public ShardedSubscriptionMode Mode { get; }

    /// <summary><c>socket.io#/#&lt;uid&gt;#</c>: the responses meant for node <paramref name="uid"/>.</summary>
    public string Response(string uid) => $"{Main}{uid}#";

    /// <summary><c>socket.io#/#room#</c>: the dynamic channel of a room.</summary>
    public string Room(string room) => $"{Main}{room}#";

    /// <summary>
    /// Whether this node subscribes to a room's own channel when the room is created locally (and
    /// unsubscribes when it is deleted): in dynamic mode the public rooms, in dynamic-private mode every room.
    /// </summary>
    /// <param name="isSocketId">The room is a local socket's own room (the subscriber knows it for sure).</param>
    public bool SubscribesToRoom(bool isSocketId) =>
        Mode == ShardedSubscriptionMode.DynamicPrivate || (Mode == ShardedSubscriptionMode.Dynamic && !isSocketId);

    /// <summary>
    /// The channel a message goes on: a room's own channel only for a broadcast without acks to exactly one room
    /// (in dynamic mode, one that does not look like a socket id: any 20-character name), else <see cref="Main"/>.
    /// </summary>
    public string ChannelFor(ClusterMessage message)
    {
        bool roomChannel = message is { Type: ClusterMessageType.Broadcast, RequestId: null, Options.Rooms.Count: 1 }
            && (Mode == ShardedSubscriptionMode.DynamicPrivate
                || (Mode == ShardedSubscriptionMode.Dynamic && message.Options.Rooms[0].Length != 20));
        return roomChannel ? Room(message.Options!.Rooms[0]) : Main;
    }
}
