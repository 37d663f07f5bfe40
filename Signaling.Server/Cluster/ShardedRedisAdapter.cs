using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;
using Signaling.Server.SocketIo;
using StackExchange.Redis;

namespace Signaling.Server.Cluster;

/// <summary>
/// One namespace on the wire of <c>@socket.io/redis-adapter</c>'s <c>createShardedAdapter</c>
/// (SPUBLISH/SSUBSCRIBE, Redis 7; socket.io-adapter's ClusterAdapter messages
/// <c>{type, data, uid, nsp}</c>, JSON unless binary is inside), in its default "dynamic" mode: a
/// broadcast to one public room goes on that room's channel, which a node subscribes to while
/// one of its sockets is in the room. Our nodes add the ClusterAdapterWithHeartbeat heartbeat on
/// the main channel, which Node nodes of this adapter ignore.
/// </summary>
internal sealed class ShardedRedisAdapter : RedisAdapter
{
    private const int BroadcastType = 3, SocketsJoin = 4, SocketsLeave = 5, DisconnectSockets = 6;
    private const int FetchSockets = 7, FetchSocketsResponse = 8, ServerSideEmitType = 9, ServerSideEmitResponse = 10;
    private const int BroadcastClientCount = 11, BroadcastAck = 12;
    // The types whose data may carry binary: only these switch to MessagePack when it does.
    private static readonly HashSet<int> MayCarryBinary = [BroadcastType, FetchSocketsResponse, ServerSideEmitType, ServerSideEmitResponse, BroadcastAck];

    private readonly ConcurrentDictionary<string, Task<ChannelMessageQueue>> _roomSubscriptions = new(StringComparer.Ordinal);
    private readonly string _channel;

    public ShardedRedisAdapter(SocketIoNamespace nsp, RedisConnection redis, RedisOptions options, ILogger logger)
        : base(nsp, redis, options, logger, ClusterJson.RandomHex(), subscribeRooms: true)
    {
        _channel = $"{options.ChannelPrefix}#{nsp.Name}#";
        HeartbeatChannel = RedisChannel.Sharded(_channel);
    }

    protected override RedisChannel HeartbeatChannel { get; }

    private RedisChannel MainChannel => HeartbeatChannel;

    public override async Task InitAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(Subscribe(MainChannel, OnMessage), Subscribe(RedisChannel.Sharded($"{_channel}{Uid}#"), OnMessage)).ConfigureAwait(false);
        SendHeartbeat(InitialHeartbeat);
    }

    public override void Broadcast(OutboundPacket packet, BroadcastOptions options)
    {
        if (!options.Flags.Local)
        {
            var data = new JObject { ["packet"] = Packet((JArray)packet.Packet.Data!), ["opts"] = ClusterRecoveryPackets.WithOffset(ClusterJson.Options(options), packet) };
            // As the Node adapter decides: one room that does not look like a socket id (20 characters) has its own channel.
            var room = options.Rooms.Count == 1 ? options.Rooms.First() : null;
            Publish(BroadcastType, data, room is { Length: not 20 } ? RedisChannel.Sharded($"{_channel}{room}#") : MainChannel);
        }
        Local.Broadcast(packet, options);
    }

    public override async Task<int> ServerCountAsync(CancellationToken cancellationToken = default) =>
        (int)await Redis.ExecuteRoutedAsync("PUBSUB", ["SHARDNUMSUB", (RedisKey)_channel], 1).ConfigureAwait(false);

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

    protected override string NewRequestId() => ClusterJson.RandomHex();

    protected override void PublishBroadcastWithAck(string requestId, JArray data, BroadcastOptions options) =>
        Publish(BroadcastType, new JObject { ["packet"] = Packet(data), ["requestId"] = requestId, ["opts"] = ClusterJson.Options(options) });

    protected override void SendFetch(string requestId, BroadcastOptions options) =>
        Publish(FetchSockets, new JObject { ["opts"] = ClusterJson.Options(options), ["requestId"] = requestId });

    protected override TimeSpan FetchTimeout(BroadcastOptions options) => options.Flags.Timeout ?? Options.RequestsTimeout;

    protected override Task PublishSocketsJoinAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishAsync(SocketsJoin, new JObject { ["opts"] = ClusterJson.Options(options), ["rooms"] = new JArray(rooms) });

    protected override Task PublishSocketsLeaveAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishAsync(SocketsLeave, new JObject { ["opts"] = ClusterJson.Options(options), ["rooms"] = new JArray(rooms) });

    protected override Task PublishDisconnectSocketsAsync(BroadcastOptions options, bool close) =>
        PublishAsync(DisconnectSockets, new JObject { ["opts"] = ClusterJson.Options(options), ["close"] = close });

    protected override void SendServerSideEmit(JArray data, string? requestId)
    {
        var message = new JObject { ["packet"] = data };
        if (requestId is not null)
        {
            message["requestId"] = requestId;
        }
        Publish(ServerSideEmitType, message);
    }

    protected override JToken ServerSideEmitAnswer(JToken answer) => answer["packet"] ?? JValue.CreateNull();

    protected override void RespondClientCount(string requester, string requestId, int count) =>
        Respond(requester, BroadcastClientCount, new JObject { ["requestId"] = requestId, ["clientCount"] = count });

    protected override void RespondAck(string requester, string requestId, JToken ack) =>
        Respond(requester, BroadcastAck, new JObject { ["requestId"] = requestId, ["packet"] = ack });

    protected override byte[] HeartbeatMessage(int type) => Encode(type, null);

    protected override void OnRoomCreated(string room) =>
        _roomSubscriptions.GetOrAdd(room, r => Subscribe(RedisChannel.Sharded($"{_channel}{r}#"), OnMessage));

    protected override void OnRoomDeleted(string room)
    {
        if (_roomSubscriptions.TryRemove(room, out var subscription))
        {
            _ = UnsubscribeAsync(subscription);
        }
    }

    private void OnMessage(JToken message, ChannelMessage raw)
    {
        var uid = ClusterJson.String(message["uid"]);
        if (uid is null || uid == Uid || ClusterJson.String(message["nsp"]) != Namespace.Name)
        {
            return;
        }
        var type = ClusterJson.Int(message["type"]);
        if (OnHeartbeat(type, uid))
        {
            return;
        }
        var data = message["data"];
        var requestId = ClusterJson.String(Field(data, "requestId"));
        switch (type)
        {
            case BroadcastType when Field(Field(data, "packet"), "data") is JArray args:
                var options = ClusterJson.ReadOptions(Field(data, "opts"));
                if (requestId is null)
                {
                    Local.Broadcast(ClusterRecoveryPackets.Received(Namespace, args, Field(data, "opts")), options);
                }
                else
                {
                    OnBroadcastWithAck(uid, requestId, args, options);
                }
                break;
            case SocketsJoin:
                Local.AddSocketsLocally(ClusterJson.ReadOptions(Field(data, "opts")), ClusterJson.Rooms(Field(data, "rooms")));
                break;
            case SocketsLeave:
                Local.DelSocketsLocally(ClusterJson.ReadOptions(Field(data, "opts")), ClusterJson.Rooms(Field(data, "rooms")));
                break;
            case DisconnectSockets:
                Local.DisconnectSocketsLocally(ClusterJson.ReadOptions(Field(data, "opts")), Field(data, "close")?.Type == JTokenType.Boolean && (bool)Field(data, "close")!);
                break;
            case FetchSockets when requestId is not null:
                Respond(uid, FetchSocketsResponse, new JObject { ["requestId"] = requestId, ["sockets"] = LocalDescriptions(ClusterJson.ReadOptions(Field(data, "opts"))) });
                break;
            case ServerSideEmitType when Field(data, "packet") is JArray packet:
                Namespace.HandleServerSideEmit(packet, requestId is null ? null : answer =>
                    Respond(uid, ServerSideEmitResponse, new JObject { ["requestId"] = requestId, ["packet"] = answer }));
                break;
            case BroadcastClientCount when ClusterJson.Int(Field(data, "clientCount")) is { } count:
                OnClientCount(requestId, count);
                break;
            case BroadcastAck:
                OnAck(requestId, Field(data, "packet") ?? JValue.CreateNull());
                break;
            case FetchSocketsResponse or ServerSideEmitResponse:
                Answer(requestId, data!);
                break;
        }
    }

    private void Respond(string requester, int type, JObject data) => Publish(type, data, RedisChannel.Sharded($"{_channel}{requester}#"));

    private void Publish(int type, JObject? data, RedisChannel? channel = null) => Redis.Publish(channel ?? MainChannel, Encode(type, data));

    private Task PublishAsync(int type, JObject? data) => Redis.PublishAsync(MainChannel, Encode(type, data));

    private byte[] Encode(int type, JObject? data)
    {
        var message = new JObject { ["type"] = type };
        if (data is not null)
        {
            message["data"] = data;
        }
        message["uid"] = Uid;
        message["nsp"] = Namespace.Name;
        return MayCarryBinary.Contains(type) && ClusterJson.HasBinary(data) ? ClusterJson.Notepack(message) : ClusterJson.Json(message);
    }

    /// <summary>The ClusterAdapter leaves <c>nsp</c> out of a broadcast's packet: the receiver takes it from the envelope.</summary>
    private static JObject Packet(JArray data) => new() { ["type"] = (int)SocketPacketType.Event, ["data"] = data };
}
