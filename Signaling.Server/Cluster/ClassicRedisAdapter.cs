using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;
using Signaling.Server.SocketIo;
using StackExchange.Redis;

namespace Signaling.Server.Cluster;

/// <summary>
/// One namespace on the wire of <c>@socket.io/redis-adapter</c>'s <c>createAdapter</c> (classic
/// pub/sub): broadcasts as notepack <c>[uid, packet, opts]</c> on <c>prefix#nsp#</c> (or
/// <c>prefix#nsp#room#</c> for one room), requests and responses as JSON on
/// <c>prefix-request#nsp#</c> and <c>prefix-response#nsp#</c>; what
/// <c>@socket.io/redis-emitter</c> publishes is understood too. This node's part of every
/// operation is done at once by its <see cref="InMemoryAdapter"/>, never waiting for Redis.
/// Our nodes also send heartbeats on <c>prefix-heartbeat#nsp#</c>, a channel Node nodes never
/// hear (the classic wire has none), so that a killed node is noticed.
/// </summary>
internal sealed class ClassicRedisAdapter : ISocketIoAdapter
{
    private const int AllRooms = 1, RemoteJoin = 2, RemoteLeave = 3, RemoteDisconnect = 4, RemoteFetch = 5, ServerSideEmitType = 6;
    private const int BroadcastType = 7, BroadcastClientCount = 8, BroadcastAck = 9;
    // On the heartbeat channel, with socket.io-adapter's ClusterAdapterWithHeartbeat codes.
    private const int InitialHeartbeat = 1, Heartbeat = 2, AdapterClose = 13;

    private readonly SocketIoNamespace _namespace;
    private readonly InMemoryAdapter _local;
    private readonly RedisConnection _redis;
    private readonly RedisOptions _options;
    private readonly ILogger _logger;
    private readonly PendingRequests _requests;
    private readonly ConcurrentDictionary<string, (Action<int> OnClientCount, Action<JToken> OnAck)> _ackRequests = new(StringComparer.Ordinal);
    private readonly List<ChannelMessageQueue> _queues = [];
    private readonly string _uid = ClusterJson.RandomId(6);
    private readonly string _broadcastChannel;
    private readonly RedisChannel _requestChannel;
    private readonly RedisChannel _responseChannel;
    private readonly RedisChannel _heartbeatChannel;
    private readonly NodeRoster _roster;

    public ClassicRedisAdapter(SocketIoNamespace nsp, RedisConnection redis, RedisOptions options, ILogger logger)
    {
        _namespace = nsp;
        _local = new InMemoryAdapter(nsp);
        _redis = redis;
        _options = options;
        _logger = logger;
        _requests = new PendingRequests(nsp.Server.TimeProvider);
        redis.Restored += OnRedisRestored;
        _broadcastChannel = $"{options.ChannelPrefix}#{nsp.Name}#";
        _requestChannel = RedisChannel.Literal($"{options.ChannelPrefix}-request#{nsp.Name}#");
        _responseChannel = RedisChannel.Literal($"{options.ChannelPrefix}-response#{nsp.Name}#");
        _heartbeatChannel = RedisChannel.Literal($"{options.ChannelPrefix}-heartbeat#{nsp.Name}#");
        _roster = new NodeRoster(nsp, options, logger, () => SendHeartbeat(Heartbeat));
    }

    public async Task InitAsync(CancellationToken cancellationToken)
    {
        // Glob characters in a namespace would widen the pattern to other namespaces' channels.
        var pattern = RedisChannel.Pattern(EscapeGlob(_broadcastChannel) + "*");
        var subscriptions = new[]
        {
            _redis.SubscribeAsync(pattern, m => Guard(m, OnBroadcast)),
            _redis.SubscribeAsync(_requestChannel, m => Guard(m, OnRequest)),
            _redis.SubscribeAsync(_responseChannel, m => Guard(m, OnResponse)),
            _redis.SubscribeAsync(RedisChannel.Literal($"{_options.ChannelPrefix}-response#{_namespace.Name}#{_uid}#"), m => Guard(m, OnResponse)),
            _redis.SubscribeAsync(_heartbeatChannel, m => Guard(m, OnHeartbeat)),
        };
        foreach (var queue in await Task.WhenAll(subscriptions).ConfigureAwait(false))
        {
            lock (_queues)
            {
                _queues.Add(queue);
            }
        }
        SendHeartbeat(InitialHeartbeat);
    }

    public void Join(string socketId, string room) => _local.Join(socketId, room);

    public void Leave(string socketId, string room) => _local.Leave(socketId, room);

    public void LeaveAll(string socketId) => _local.LeaveAll(socketId);

    public IReadOnlyCollection<string> RoomsOf(string socketId) => _local.RoomsOf(socketId);

    public void Broadcast(OutboundPacket packet, BroadcastOptions options)
    {
        if (!options.Flags.Local)
        {
            // Encoded before the local send, from the packet's JSON tree (binary stays in place as bin).
            var message = new JArray(_uid, Packet((JArray)packet.Packet.Data!), ClusterJson.Options(options));
            var channel = options.Rooms.Count == 1 ? $"{_broadcastChannel}{options.Rooms.First()}#" : _broadcastChannel;
            _redis.Publish(RedisChannel.Literal(channel), ClusterJson.Notepack(message));
        }
        _local.Broadcast(packet, options);
    }

    public void BroadcastWithAck(JArray data, BroadcastOptions options, Action<int> onClientCount, Action<JToken> onAck)
    {
        if (!options.Flags.Local)
        {
            var requestId = ClusterJson.RandomId(6);
            _ackRequests[requestId] = (onClientCount, onAck);
            _redis.Publish(_requestChannel, ClusterJson.Notepack(new JObject
            {
                ["uid"] = _uid,
                ["requestId"] = requestId,
                ["type"] = BroadcastType,
                ["packet"] = Packet(data),
                ["opts"] = ClusterJson.Options(options),
            }));
            var timeout = options.Flags.Timeout ?? _options.RequestsTimeout;
            _ = ForgetAckRequestAsync(requestId, timeout);
        }
        _local.BroadcastWithAck(data, options, onClientCount, onAck);
    }

    /// <summary>Subscribers of the request channel, summed over the primaries: every node (this one included) subscribes once.</summary>
    public async Task<int> ServerCountAsync(CancellationToken cancellationToken = default) =>
        (int)await _redis.SumOverPrimariesAsync("PUBSUB", ["NUMSUB", _requestChannel.ToString()], 1).ConfigureAwait(false);

    public async Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default)
    {
        var rooms = _local.LocalRooms();
        var others = await ServerCountAsync(cancellationToken).ConfigureAwait(false) - 1;
        if (others <= 0)
        {
            return rooms;
        }
        var answers = await RequestAsync("allRooms", others, id => new JObject { ["uid"] = _uid, ["requestId"] = id, ["type"] = AllRooms }, cancellationToken).ConfigureAwait(false);
        foreach (var answer in answers)
        {
            rooms.UnionWith(ClusterJson.Rooms(answer["rooms"]));
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
            id => new JObject { ["uid"] = _uid, ["requestId"] = id, ["type"] = RemoteFetch, ["opts"] = ClusterJson.Options(options, withFlags: false) },
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
        return options.Flags.Local ? Task.CompletedTask : RequestEveryoneAsync(RemoteJoin, options, "rooms", new JArray(rooms));
    }

    public Task DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        _local.DelSocketsLocally(options, rooms);
        return options.Flags.Local ? Task.CompletedTask : RequestEveryoneAsync(RemoteLeave, options, "rooms", new JArray(rooms));
    }

    public Task DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        _local.DisconnectSocketsLocally(options, close);
        return options.Flags.Local ? Task.CompletedTask : RequestEveryoneAsync(RemoteDisconnect, options, "close", close);
    }

    public void ServerSideEmit(JArray data) =>
        _redis.Publish(_requestChannel, ClusterJson.Json(new JObject { ["uid"] = _uid, ["type"] = ServerSideEmitType, ["data"] = data }));

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
                id => new JObject { ["uid"] = _uid, ["requestId"] = id, ["type"] = ServerSideEmitType, ["data"] = data },
                cancellationToken).ConfigureAwait(false);
            return [.. answers.Select(a => a["data"] ?? JValue.CreateNull())];
        }
        catch (RequestTimeoutException timeout)
        {
            throw new BroadcastAckTimeoutException(timeout.Message, [.. timeout.Answers.Select(a => a["data"] ?? JValue.CreateNull())]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _redis.Restored -= OnRedisRestored;
        _roster.Dispose();
        // Awaited: a stopping node's goodbye must reach Redis before the connection closes.
        await _redis.PublishAsync(_heartbeatChannel, HeartbeatMessage(AdapterClose)).ConfigureAwait(false);
        ChannelMessageQueue[] queues;
        lock (_queues)
        {
            queues = [.. _queues];
            _queues.Clear();
        }
        foreach (var queue in queues)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Redis is away: the subscription ends with the connection anyway.
            }
        }
    }

    /// <summary>A broadcast of another node (or the emitter): delivered to this node's matching sockets.</summary>
    private void OnBroadcast(ChannelMessage message)
    {
        var channel = message.Channel.ToString();
        if (!channel.StartsWith(_broadcastChannel, StringComparison.Ordinal))
        {
            return;
        }
        // A one-room channel for a room no socket here is in: nothing to decode.
        var room = channel.Length > _broadcastChannel.Length ? channel[_broadcastChannel.Length..^1] : "";
        if (room.Length > 0 && !_local.HasRoom(room))
        {
            return;
        }
        if (ClusterJson.Decode((byte[])message.Message!) is not JArray { Count: >= 2 } decoded || ClusterJson.String(decoded[0]) == _uid)
        {
            return;
        }
        if (decoded[1] is not JObject packet || (ClusterJson.String(packet["nsp"]) ?? "/") != _namespace.Name || packet["data"] is not JArray data)
        {
            return;
        }
        var options = ClusterJson.ReadOptions(decoded.Count > 2 ? decoded[2] : null);
        _local.Broadcast(new OutboundPacket(new SocketPacket { Type = SocketPacketType.Event, Namespace = _namespace.Name, Data = data }), options);
    }

    private void OnHeartbeat(ChannelMessage message)
    {
        var heartbeat = ClusterJson.Decode((byte[])message.Message!);
        if (ClusterJson.String(heartbeat["uid"]) is not { } uid || uid == _uid)
        {
            return;
        }
        switch (ClusterJson.Int(heartbeat["type"]))
        {
            case InitialHeartbeat:
                _roster.Heard(uid);
                SendHeartbeat(Heartbeat);
                break;
            case Heartbeat:
                _roster.Heard(uid);
                break;
            case AdapterClose:
                _roster.Left(uid);
                break;
        }
    }

    private void SendHeartbeat(int type) => _redis.Publish(_heartbeatChannel, HeartbeatMessage(type));

    private byte[] HeartbeatMessage(int type) => ClusterJson.Json(new JObject { ["type"] = type, ["uid"] = _uid, ["nsp"] = _namespace.Name });

    private void OnRequest(ChannelMessage message)
    {
        var request = ClusterJson.Decode((byte[])message.Message!);
        var uid = ClusterJson.String(request["uid"]);
        var requestId = ClusterJson.String(request["requestId"]);
        switch (ClusterJson.Int(request["type"]))
        {
            case AllRooms when !_requests.IsOwn(requestId):
                Respond(new JObject { ["requestId"] = requestId, ["rooms"] = new JArray(_local.LocalRooms()) });
                break;
            // Join, leave and disconnect were applied here when sent: only other nodes' (and the emitter's, with no uid) count.
            case RemoteJoin when uid != _uid && request["opts"] is not null:
                _local.AddSocketsLocally(ClusterJson.ReadOptions(request["opts"]), ClusterJson.Rooms(request["rooms"]));
                break;
            case RemoteLeave when uid != _uid && request["opts"] is not null:
                _local.DelSocketsLocally(ClusterJson.ReadOptions(request["opts"]), ClusterJson.Rooms(request["rooms"]));
                break;
            case RemoteDisconnect when uid != _uid && request["opts"] is not null:
                _local.DisconnectSocketsLocally(ClusterJson.ReadOptions(request["opts"]), request["close"]?.Type == JTokenType.Boolean && (bool)request["close"]!);
                break;
            case RemoteFetch when !_requests.IsOwn(requestId):
                var sockets = _local.LocalSockets(ClusterJson.ReadOptions(request["opts"])).Select(s => RemoteSocket.Of(s).ToJson());
                Respond(new JObject { ["requestId"] = requestId, ["sockets"] = new JArray(sockets) });
                break;
            case ServerSideEmitType when uid != _uid && request["data"] is JArray data:
                _namespace.HandleServerSideEmit(data, requestId is null ? null : answer =>
                    Respond(new JObject { ["type"] = ServerSideEmitType, ["requestId"] = requestId, ["data"] = answer }));
                break;
            case BroadcastType when requestId is not null && !_ackRequests.ContainsKey(requestId) && Field(request["packet"], "data") is JArray data:
                OnBroadcastWithAck(requestId, data, ClusterJson.ReadOptions(request["opts"]));
                break;
        }
    }

    /// <summary>Another node's emit with acks: this node's count first, then each socket's ack, on the response channel.</summary>
    private void OnBroadcastWithAck(string requestId, JArray data, BroadcastOptions options)
    {
        if (options.Flags.Timeout is null)
        {
            options = options with { Flags = options.Flags with { Timeout = _options.RequestsTimeout } };
        }
        var count = _local.BroadcastWithAckLocally(data, options, ack =>
            _redis.Publish(_responseChannel, ClusterJson.Notepack(new JObject { ["type"] = BroadcastAck, ["requestId"] = requestId, ["packet"] = ack })));
        // Published before any ack can be: acks come back from clients later, on other threads.
        _redis.Publish(_responseChannel, ClusterJson.Json(new JObject { ["type"] = BroadcastClientCount, ["requestId"] = requestId, ["clientCount"] = count }));
    }

    private void OnResponse(ChannelMessage message)
    {
        var response = ClusterJson.Decode((byte[])message.Message!);
        var requestId = ClusterJson.String(response["requestId"]);
        if (requestId is not null && _ackRequests.TryGetValue(requestId, out var ack))
        {
            switch (ClusterJson.Int(response["type"]))
            {
                case BroadcastClientCount when ClusterJson.Int(response["clientCount"]) is { } count:
                    ack.OnClientCount(count);
                    break;
                case BroadcastAck:
                    ack.OnAck(response["packet"] ?? JValue.CreateNull());
                    break;
            }
            return;
        }
        _requests.Answer(requestId, response);
    }

    private async Task<IReadOnlyList<JToken>> RequestAsync(string kind, int expected, Func<string, JObject> request, CancellationToken cancellationToken)
    {
        try
        {
            return await _requests.RequestAsync(kind, expected, _options.RequestsTimeout, id => _redis.Publish(_requestChannel, ClusterJson.Json(request(id))), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RequestTimeoutException timeout)
        {
            _logger.RequestTimedOut(kind, _namespace.Name, timeout.Answers.Count, expected);
            throw;
        }
    }

    private Task RequestEveryoneAsync(int type, BroadcastOptions options, string key, JToken value) =>
        _redis.PublishAsync(_requestChannel, ClusterJson.Json(new JObject
        {
            ["uid"] = _uid,
            ["type"] = type,
            ["opts"] = ClusterJson.Options(options, withFlags: false),
            [key] = value,
        }));

    private void Respond(JObject response) => _redis.Publish(_responseChannel, ClusterJson.Json(response));

    private void OnRedisRestored() => _namespace.OnClusterChanged("back on Redis");

    private async Task ForgetAckRequestAsync(string requestId, TimeSpan timeout)
    {
        await Task.Delay(timeout, _namespace.Server.TimeProvider).ConfigureAwait(false);
        _ackRequests.TryRemove(requestId, out _);
    }

    private JObject Packet(JArray data) => new() { ["type"] = (int)SocketPacketType.Event, ["data"] = data, ["nsp"] = _namespace.Name };

    /// <summary>Runs a handler on one message; a malformed or failing one is logged and the next goes on.</summary>
    private void Guard(ChannelMessage message, Action<ChannelMessage> handler)
    {
        try
        {
            handler(message);
        }
        catch (Exception error) when (error is Protocol.ProtocolException or Newtonsoft.Json.JsonException or InvalidCastException or FormatException)
        {
            _logger.MalformedMessage(message.Channel.ToString(), error.Message);
        }
        catch (Exception error)
        {
            _logger.HandlingFailed(error, message.Channel.ToString());
        }
    }

    private static JToken? Field(JToken? json, string key) => json is JObject obj ? obj[key] : null;

    private static string EscapeGlob(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? $"\\{c}" : c.ToString()));
}
