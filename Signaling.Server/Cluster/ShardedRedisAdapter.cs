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
/// one of its sockets is in the room. Our nodes add the ClusterAdapterWithHeartbeat heartbeat,
/// which Node nodes of this adapter ignore.
/// </summary>
internal sealed class ShardedRedisAdapter : ISocketIoAdapter
{
    private const int InitialHeartbeat = 1, Heartbeat = 2, BroadcastType = 3, SocketsJoin = 4, SocketsLeave = 5, DisconnectSockets = 6;
    private const int FetchSockets = 7, FetchSocketsResponse = 8, ServerSideEmitType = 9, ServerSideEmitResponse = 10;
    private const int BroadcastClientCount = 11, BroadcastAck = 12, AdapterClose = 13;
    // The types whose data may carry binary: only these switch to MessagePack when it does.
    private static readonly HashSet<int> MayCarryBinary = [BroadcastType, FetchSocketsResponse, ServerSideEmitType, ServerSideEmitResponse, BroadcastAck];

    private readonly SocketIoNamespace _namespace;
    private readonly InMemoryAdapter _local;
    private readonly RedisConnection _redis;
    private readonly RedisOptions _options;
    private readonly ILogger _logger;
    private readonly PendingRequests _requests;
    private readonly NodeRoster _roster;
    private readonly ConcurrentDictionary<string, (Action<int> OnClientCount, Action<JToken> OnAck)> _ackRequests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<ChannelMessageQueue>> _roomQueues = new(StringComparer.Ordinal);
    private readonly List<Task<ChannelMessageQueue>> _queues = [];
    private readonly string _uid = ClusterJson.RandomHex();
    private readonly string _channel;
    private readonly RedisChannel _mainChannel;

    public ShardedRedisAdapter(SocketIoNamespace nsp, RedisConnection redis, RedisOptions options, ILogger logger)
    {
        _namespace = nsp;
        _local = new InMemoryAdapter(nsp, OnRoomCreated, OnRoomDeleted);
        _redis = redis;
        _options = options;
        _logger = logger;
        _requests = new PendingRequests(nsp.Server.TimeProvider);
        redis.Restored += OnRedisRestored;
        _channel = $"{options.ChannelPrefix}#{nsp.Name}#";
        _mainChannel = RedisChannel.Sharded(_channel);
        _roster = new NodeRoster(nsp, options, logger, () => Publish(Heartbeat, null));
    }

    public async Task InitAsync(CancellationToken cancellationToken)
    {
        Task<ChannelMessageQueue>[] subscriptions =
        [
            _redis.SubscribeAsync(_mainChannel, OnMessage),
            _redis.SubscribeAsync(RedisChannel.Sharded($"{_channel}{_uid}#"), OnMessage),
        ];
        lock (_queues)
        {
            _queues.AddRange(subscriptions);
        }
        await Task.WhenAll(subscriptions).ConfigureAwait(false);
        Publish(InitialHeartbeat, null);
    }

    public void Join(string socketId, string room) => _local.Join(socketId, room);

    public void Leave(string socketId, string room) => _local.Leave(socketId, room);

    public void LeaveAll(string socketId) => _local.LeaveAll(socketId);

    public IReadOnlyCollection<string> RoomsOf(string socketId) => _local.RoomsOf(socketId);

    public void Broadcast(OutboundPacket packet, BroadcastOptions options)
    {
        if (!options.Flags.Local)
        {
            var data = new JObject { ["packet"] = Packet((JArray)packet.Packet.Data!), ["opts"] = ClusterJson.Options(options) };
            // As the Node adapter decides: one room that does not look like a socket id (20 characters) has its own channel.
            var room = options.Rooms.Count == 1 ? options.Rooms.First() : null;
            Publish(BroadcastType, data, room is { Length: not 20 } ? RedisChannel.Sharded($"{_channel}{room}#") : _mainChannel);
        }
        _local.Broadcast(packet, options);
    }

    public void BroadcastWithAck(JArray data, BroadcastOptions options, Action<int> onClientCount, Action<JToken> onAck)
    {
        if (!options.Flags.Local)
        {
            var requestId = ClusterJson.RandomHex();
            _ackRequests[requestId] = (onClientCount, onAck);
            Publish(BroadcastType, new JObject { ["packet"] = Packet(data), ["requestId"] = requestId, ["opts"] = ClusterJson.Options(options) });
            _ = ForgetAckRequestAsync(requestId, options.Flags.Timeout ?? _options.RequestsTimeout);
        }
        _local.BroadcastWithAck(data, options, onClientCount, onAck);
    }

    public async Task<int> ServerCountAsync(CancellationToken cancellationToken = default) =>
        (int)await _redis.ExecuteRoutedAsync("PUBSUB", ["SHARDNUMSUB", (RedisKey)_channel], 1).ConfigureAwait(false);

    /// <summary>
    /// The ClusterAdapter protocol has no allRooms request (Node nodes answer with their own
    /// rooms): this node's rooms and those of every socket the other nodes describe.
    /// </summary>
    public async Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default)
    {
        var rooms = _local.LocalRooms();
        foreach (var socket in await FetchSocketsAsync(BroadcastOptions.All, cancellationToken).ConfigureAwait(false))
        {
            if (socket.Local is null)
            {
                rooms.UnionWith(socket.Rooms);
            }
        }
        return rooms;
    }

    public async Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        var sockets = await _local.FetchSocketsAsync(options, cancellationToken).ConfigureAwait(false);
        if (options.Flags.Local)
        {
            return sockets;
        }
        var others = await ServerCountAsync(cancellationToken).ConfigureAwait(false) - 1;
        if (others <= 0)
        {
            return sockets;
        }
        var answers = await RequestAsync(
            "fetchSockets",
            others,
            options.Flags.Timeout ?? _options.RequestsTimeout,
            id => Publish(FetchSockets, new JObject { ["opts"] = ClusterJson.Options(options), ["requestId"] = id }),
            cancellationToken).ConfigureAwait(false);
        var all = new List<RemoteSocket>(sockets);
        foreach (var answer in answers)
        {
            all.AddRange((answer["sockets"] as JArray ?? []).Select(s => RemoteSocket.FromJson(_namespace, s)).OfType<RemoteSocket>());
        }
        return all;
    }

    public Task AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        _local.AddSocketsLocally(options, rooms);
        return options.Flags.Local ? Task.CompletedTask : PublishAsync(SocketsJoin, new JObject { ["opts"] = ClusterJson.Options(options), ["rooms"] = new JArray(rooms) });
    }

    public Task DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        _local.DelSocketsLocally(options, rooms);
        return options.Flags.Local ? Task.CompletedTask : PublishAsync(SocketsLeave, new JObject { ["opts"] = ClusterJson.Options(options), ["rooms"] = new JArray(rooms) });
    }

    public Task DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        _local.DisconnectSocketsLocally(options, close);
        return options.Flags.Local ? Task.CompletedTask : PublishAsync(DisconnectSockets, new JObject { ["opts"] = ClusterJson.Options(options), ["close"] = close });
    }

    public void ServerSideEmit(JArray data) => Publish(ServerSideEmitType, new JObject { ["packet"] = data });

    public async Task<IReadOnlyList<JToken>> ServerSideEmitWithAckAsync(JArray data, CancellationToken cancellationToken = default)
    {
        var others = await ServerCountAsync(cancellationToken).ConfigureAwait(false) - 1;
        if (others <= 0)
        {
            return [];
        }
        try
        {
            var answers = await RequestAsync(
                "serverSideEmit",
                others,
                _options.RequestsTimeout,
                id => Publish(ServerSideEmitType, new JObject { ["packet"] = data, ["requestId"] = id }),
                cancellationToken).ConfigureAwait(false);
            return [.. answers.Select(a => a["packet"] ?? JValue.CreateNull())];
        }
        catch (RequestTimeoutException timeout)
        {
            throw new BroadcastAckTimeoutException(timeout.Message, [.. timeout.Answers.Select(a => a["packet"] ?? JValue.CreateNull())]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _redis.Restored -= OnRedisRestored;
        _roster.Dispose();
        // Awaited: a stopping node's goodbye must reach Redis before the connection closes.
        await PublishAsync(AdapterClose, null).ConfigureAwait(false);
        List<Task<ChannelMessageQueue>> queues;
        lock (_queues)
        {
            queues = [.. _queues, .. _roomQueues.Values];
            _queues.Clear();
            _roomQueues.Clear();
        }
        foreach (var queue in queues)
        {
            await UnsubscribeAsync(queue).ConfigureAwait(false);
        }
    }

    private void OnMessage(ChannelMessage raw)
    {
        try
        {
            Handle(ClusterJson.Decode((byte[])raw.Message!));
        }
        catch (Exception error) when (error is Protocol.ProtocolException or Newtonsoft.Json.JsonException or InvalidCastException or FormatException)
        {
            _logger.MalformedMessage(raw.Channel.ToString(), error.Message);
        }
        catch (Exception error)
        {
            _logger.HandlingFailed(error, raw.Channel.ToString());
        }
    }

    private void Handle(JToken message)
    {
        var uid = ClusterJson.String(message["uid"]);
        if (uid is null || uid == _uid || ClusterJson.String(message["nsp"]) != _namespace.Name)
        {
            return;
        }
        var data = message["data"];
        var requestId = ClusterJson.String(Field(data, "requestId"));
        switch (ClusterJson.Int(message["type"]))
        {
            case InitialHeartbeat:
                _roster.Heard(uid);
                Publish(Heartbeat, null);
                break;
            case Heartbeat:
                _roster.Heard(uid);
                break;
            case AdapterClose:
                _roster.Left(uid);
                break;
            case BroadcastType when Field(Field(data, "packet"), "data") is JArray args:
                var options = ClusterJson.ReadOptions(Field(data, "opts"));
                if (requestId is null)
                {
                    _local.Broadcast(new OutboundPacket(new SocketPacket { Type = SocketPacketType.Event, Namespace = _namespace.Name, Data = args }), options);
                }
                else
                {
                    OnBroadcastWithAck(uid, requestId, args, options);
                }
                break;
            case SocketsJoin:
                _local.AddSocketsLocally(ClusterJson.ReadOptions(data?["opts"]), ClusterJson.Rooms(data?["rooms"]));
                break;
            case SocketsLeave:
                _local.DelSocketsLocally(ClusterJson.ReadOptions(data?["opts"]), ClusterJson.Rooms(data?["rooms"]));
                break;
            case DisconnectSockets:
                _local.DisconnectSocketsLocally(ClusterJson.ReadOptions(data?["opts"]), data?["close"]?.Type == JTokenType.Boolean && (bool)data["close"]!);
                break;
            case FetchSockets when requestId is not null:
                var sockets = _local.LocalSockets(ClusterJson.ReadOptions(data?["opts"])).Select(s => RemoteSocket.Of(s).ToJson());
                Respond(uid, FetchSocketsResponse, new JObject { ["requestId"] = requestId, ["sockets"] = new JArray(sockets) });
                break;
            case ServerSideEmitType when Field(data, "packet") is JArray packet:
                _namespace.HandleServerSideEmit(packet, requestId is null ? null : answer =>
                    Respond(uid, ServerSideEmitResponse, new JObject { ["requestId"] = requestId, ["packet"] = answer }));
                break;
            case BroadcastClientCount when requestId is not null && _ackRequests.TryGetValue(requestId, out var counted) && ClusterJson.Int(Field(data, "clientCount")) is { } count:
                counted.OnClientCount(count);
                break;
            case BroadcastAck when requestId is not null && _ackRequests.TryGetValue(requestId, out var acked):
                acked.OnAck(data?["packet"] ?? JValue.CreateNull());
                break;
            case FetchSocketsResponse or ServerSideEmitResponse:
                _requests.Answer(requestId, data!);
                break;
        }
    }

    private void OnBroadcastWithAck(string requester, string requestId, JArray args, BroadcastOptions options)
    {
        if (options.Flags.Timeout is null)
        {
            options = options with { Flags = options.Flags with { Timeout = _options.RequestsTimeout } };
        }
        var count = _local.BroadcastWithAckLocally(args, options, ack =>
            Respond(requester, BroadcastAck, new JObject { ["requestId"] = requestId, ["packet"] = ack }));
        Respond(requester, BroadcastClientCount, new JObject { ["requestId"] = requestId, ["clientCount"] = count });
    }

    private async Task<IReadOnlyList<JToken>> RequestAsync(string kind, int expected, TimeSpan timeout, Action<string> send, CancellationToken cancellationToken)
    {
        try
        {
            return await _requests.RequestAsync(kind, expected, timeout, send, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestTimeoutException error)
        {
            _logger.RequestTimedOut(kind, _namespace.Name, error.Answers.Count, expected);
            throw;
        }
    }

    private void Respond(string requester, int type, JObject data) => Publish(type, data, RedisChannel.Sharded($"{_channel}{requester}#"));

    private void Publish(int type, JObject? data, RedisChannel? channel = null) => _redis.Publish(channel ?? _mainChannel, Encode(type, data));

    private Task PublishAsync(int type, JObject? data) => _redis.PublishAsync(_mainChannel, Encode(type, data));

    private byte[] Encode(int type, JObject? data)
    {
        var message = new JObject { ["type"] = type };
        if (data is not null)
        {
            message["data"] = data;
        }
        message["uid"] = _uid;
        message["nsp"] = _namespace.Name;
        return MayCarryBinary.Contains(type) && ClusterJson.HasBinary(data) ? ClusterJson.Notepack(message) : ClusterJson.Json(message);
    }

    /// <summary>The ClusterAdapter leaves <c>nsp</c> out of a broadcast's packet: the receiver takes it from the envelope.</summary>
    private static JObject Packet(JArray data) => new() { ["type"] = (int)SocketPacketType.Event, ["data"] = data };

    private static JToken? Field(JToken? json, string key) => json is JObject obj ? obj[key] : null;

    private void OnRoomCreated(string room) => _roomQueues.GetOrAdd(room, r => _redis.SubscribeAsync(RedisChannel.Sharded($"{_channel}{r}#"), OnMessage));

    private void OnRoomDeleted(string room)
    {
        if (_roomQueues.TryRemove(room, out var queue))
        {
            _ = UnsubscribeAsync(queue);
        }
    }

    private static async Task UnsubscribeAsync(Task<ChannelMessageQueue> subscription)
    {
        try
        {
            await (await subscription.ConfigureAwait(false)).UnsubscribeAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or OperationCanceledException)
        {
            // Redis is away or the node is stopping: the subscription ends with the connection.
        }
    }

    private void OnRedisRestored() => _namespace.OnClusterChanged("back on Redis");

    private async Task ForgetAckRequestAsync(string requestId, TimeSpan timeout)
    {
        await Task.Delay(timeout, _namespace.Server.TimeProvider).ConfigureAwait(false);
        _ackRequests.TryRemove(requestId, out _);
    }
}
