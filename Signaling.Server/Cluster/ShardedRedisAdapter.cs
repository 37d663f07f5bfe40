using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.Cluster;
using Signaling.Protocol.SocketIo;
using Signaling.Server.SocketIo;
using StackExchange.Redis;
using BroadcastOptions = Signaling.Server.SocketIo.BroadcastOptions;

namespace Signaling.Server.Cluster;

/// <summary>
/// One namespace on the wire of <c>@socket.io/redis-adapter</c>'s <c>createShardedAdapter</c>
/// (SPUBLISH/SSUBSCRIBE, Redis 7; socket.io-adapter's <see cref="ClusterMessage"/>s on
/// <see cref="ShardedChannels"/>) in its <see cref="RedisOptions.SubscriptionMode"/>: in "dynamic" (the
/// default) a broadcast to one public room goes on that room's channel, which a node subscribes to while one
/// of its sockets is in the room; "dynamic-private" does so for socket-id rooms too; "static" keeps everything
/// on the main channel. Our nodes add the ClusterAdapterWithHeartbeat heartbeat on the main channel, which
/// Node nodes of this adapter ignore. Order holds per channel only: SSUBSCRIBE has no patterns, so each channel is a
/// subscription (a queue) of its own and two of them are handled in either order, as on Node nodes over a Redis
/// Cluster's separate shard connections. One sender's relays to one target share a channel, so they stay in order.
/// </summary>
internal sealed class ShardedRedisAdapter : RedisAdapter
{
    private readonly ConcurrentDictionary<string, Task<ChannelMessageQueue>> _roomSubscriptions = new(StringComparer.Ordinal);
    private readonly ShardedChannels _channels;

    public ShardedRedisAdapter(SocketIoNamespace nsp, RedisConnection redis, RedisOptions options, ILogger logger)
        : base(nsp, redis, options, logger, ClusterIds.Hex(), subscribeRooms: true)
    {
        _channels = new ShardedChannels(options.ChannelPrefix, nsp.Name, options.ShardedMode);
        HeartbeatChannel = RedisChannel.Sharded(_channels.Main);
    }

    protected override RedisChannel HeartbeatChannel { get; }

    private RedisChannel MainChannel => HeartbeatChannel;

    public override async Task InitAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Subscribe(MainChannel, OnMessage), Subscribe(RedisChannel.Sharded(_channels.Response(Uid)), OnMessage)).ConfigureAwait(false);
        SendHeartbeat(ClusterMessageType.InitialHeartbeat);
    }

    public override void Broadcast(OutboundPacket packet, BroadcastOptions options)
    {
        if (!options.Flags.Local)
        {
            Publish(ClusterMessage.Broadcast(Uid, Namespace.Name, Packet(ClusterPackets.Data(Namespace, packet)), ClusterPackets.WithOffset(WireOptions.ToWire(options), packet)));
        }
        Local.Broadcast(packet, options);
    }

    public override async Task<int> ServerCountAsync(CancellationToken cancellationToken = default) =>
        (int)await Redis.ExecuteRoutedAsync("PUBSUB", ["SHARDNUMSUB", (RedisKey)_channels.Main], 1).ConfigureAwait(false);

    /// <summary>
    /// The ClusterAdapter protocol has no allRooms request (Node nodes answer with their own
    /// rooms): this node's rooms and those of every socket the other nodes describe.
    /// </summary>
    public override async Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default)
    {
        var rooms = Local.LocalRooms();
        foreach (var socket in await FetchSocketsAsync(BroadcastOptions.All, cancellationToken).ConfigureAwait(false))
        {
            if (socket.Local is null)
            {
                rooms.UnionWith(socket.Rooms);
            }
        }
        return rooms;
    }

    protected override string NewRequestId() => ClusterIds.Hex();

    protected override void PublishBroadcastWithAck(string requestId, JArray data, BroadcastOptions options) =>
        Publish(ClusterMessage.Broadcast(Uid, Namespace.Name, Packet(data), WireOptions.ToWire(options), requestId));

    protected override void SendFetch(string requestId, BroadcastOptions options) =>
        Publish(ClusterMessage.FetchSockets(Uid, Namespace.Name, WireOptions.ToWire(options), requestId));

    protected override TimeSpan FetchTimeout(BroadcastOptions options) => options.Flags.Timeout ?? Options.RequestsTimeout;

    protected override Task PublishSocketsJoinAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishAsync(ClusterMessage.SocketsJoin(Uid, Namespace.Name, WireOptions.ToWire(options), [.. rooms]));

    protected override Task PublishSocketsLeaveAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishAsync(ClusterMessage.SocketsLeave(Uid, Namespace.Name, WireOptions.ToWire(options), [.. rooms]));

    protected override Task PublishDisconnectSocketsAsync(BroadcastOptions options, bool close) =>
        PublishAsync(ClusterMessage.DisconnectSockets(Uid, Namespace.Name, WireOptions.ToWire(options), close));

    protected override void SendServerSideEmit(JArray data, string? requestId) =>
        Publish(ClusterMessage.ServerSideEmit(Uid, Namespace.Name, data, requestId));

    protected override void RespondClientCount(string requester, string requestId, int count) =>
        Respond(requester, ClusterMessage.BroadcastClientCount(Uid, Namespace.Name, requestId, count));

    protected override void RespondAck(string requester, string requestId, JToken ack) =>
        Respond(requester, ClusterMessage.BroadcastAck(Uid, Namespace.Name, requestId, ack));

    /// <summary>As the Node adapter's create-room: a room's own channel in the dynamic modes (socket-id rooms only in dynamic-private).</summary>
    protected override void OnRoomCreated(string room, bool isSocketId)
    {
        if (_channels.SubscribesToRoom(isSocketId))
        {
            _roomSubscriptions.GetOrAdd(room, r => Subscribe(RedisChannel.Sharded(_channels.Room(r)), OnMessage));
        }
    }

    /// <summary>Completes once this node hears its channel for <paramref name="room"/> (at once when the room has none).</summary>
    internal Task RoomHeard(string room) => _roomSubscriptions.TryGetValue(room, out var subscription) ? subscription : Task.CompletedTask;

    /// <summary>Whether this node has asked for its channel for <paramref name="room"/> (a join shows in a socket's rooms a moment before).</summary>
    internal bool HasRoomSubscription(string room) => _roomSubscriptions.ContainsKey(room);

    protected override void OnRoomDeleted(string room, bool isSocketId)
    {
        if (_roomSubscriptions.TryRemove(room, out var subscription))
        {
            _ = UnsubscribeAsync(subscription);
        }
    }

    private void OnMessage(byte[] raw)
    {
        var message = ClusterMessage.Decode(raw);
        var uid = message.Uid;
        if (uid == Uid || message.Namespace != Namespace.Name || OnHeartbeat(message.Type, uid))
        {
            return;
        }
        var requestId = message.RequestId;
        switch (message.Type)
        {
            case ClusterMessageType.Broadcast when requestId is null:
                Local.Broadcast(ClusterPackets.Received(Namespace, message.Packet!, message.Options!), WireOptions.FromWire(message.Options!));
                break;
            case ClusterMessageType.Broadcast:
                OnBroadcastWithAck(uid, requestId, message.Packet!.Data, WireOptions.FromWire(message.Options!));
                break;
            case ClusterMessageType.SocketsJoin:
                Local.AddSocketsLocally(WireOptions.FromWire(message.Options!), message.Rooms!);
                break;
            case ClusterMessageType.SocketsLeave:
                Local.DelSocketsLocally(WireOptions.FromWire(message.Options!), message.Rooms!);
                break;
            case ClusterMessageType.DisconnectSockets:
                Local.DisconnectSocketsLocally(WireOptions.FromWire(message.Options!), message.Close);
                break;
            case ClusterMessageType.FetchSockets:
                Respond(uid, ClusterMessage.FetchSocketsResponse(Uid, Namespace.Name, requestId!, LocalDescriptions(WireOptions.FromWire(message.Options!))));
                break;
            case ClusterMessageType.ServerSideEmit:
                Namespace.HandleServerSideEmit(message.EmitData!, requestId is null ? null : answer =>
                    Respond(uid, ClusterMessage.ServerSideEmitResponse(Uid, Namespace.Name, requestId, answer)));
                break;
            case ClusterMessageType.BroadcastClientCount:
                OnClientCount(requestId, message.ClientCount!.Value);
                break;
            case ClusterMessageType.BroadcastAck:
                OnAck(requestId, message.AckValue ?? JValue.CreateNull());
                break;
            case ClusterMessageType.FetchSocketsResponse:
                Answer(requestId, message.Sockets!);
                break;
            case ClusterMessageType.ServerSideEmitResponse:
                Answer(requestId, message.AckValue ?? JValue.CreateNull());
                break;
        }
    }

    private void Respond(string requester, ClusterMessage message) => Redis.Publish(RedisChannel.Sharded(_channels.Response(requester)), message.Encode());

    private void Publish(ClusterMessage message) => Redis.Publish(RedisChannel.Sharded(_channels.ChannelFor(message)), message.Encode());

    private Task PublishAsync(ClusterMessage message) => Redis.PublishAsync(RedisChannel.Sharded(_channels.ChannelFor(message)), message.Encode());

    /// <summary>The ClusterAdapter leaves <c>nsp</c> out of a broadcast's packet: the receiver takes it from the envelope.</summary>
    private static ClusterPacket Packet(JArray data) => new(data, null);
}
