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
/// <c>@socket.io/redis-emitter</c> publishes is understood too. Our nodes also send heartbeats on
/// <c>prefix-heartbeat#nsp#</c>, a channel Node nodes never hear (the classic wire has none), so
/// that a killed node is noticed.
/// </summary>
internal sealed class ClassicRedisAdapter : RedisAdapter
{
    private const int AllRoomsType = 1, RemoteJoin = 2, RemoteLeave = 3, RemoteDisconnect = 4, RemoteFetch = 5, ServerSideEmitType = 6;
    private const int BroadcastType = 7, BroadcastClientCount = 8, BroadcastAck = 9;

    private readonly string _broadcastChannel;
    private readonly RedisChannel _requestChannel;
    private readonly RedisChannel _responseChannel;

    public ClassicRedisAdapter(SocketIoNamespace nsp, RedisConnection redis, RedisOptions options, ILogger logger)
        : base(nsp, redis, options, logger, ClusterJson.RandomId(6))
    {
        _broadcastChannel = $"{options.ChannelPrefix}#{nsp.Name}#";
        _requestChannel = RedisChannel.Literal($"{options.ChannelPrefix}-request#{nsp.Name}#");
        _responseChannel = RedisChannel.Literal($"{options.ChannelPrefix}-response#{nsp.Name}#");
        HeartbeatChannel = RedisChannel.Literal($"{options.ChannelPrefix}-heartbeat#{nsp.Name}#");
    }

    protected override RedisChannel HeartbeatChannel { get; }

    public override async Task InitAsync(CancellationToken cancellationToken)
    {
        // Glob characters in a namespace would widen the pattern to other namespaces' channels.
        var pattern = RedisChannel.Pattern(EscapeGlob(_broadcastChannel) + "*");
        await Task.WhenAll(
            Subscribe(pattern, OnBroadcast, IsForKnownRoom),
            Subscribe(_requestChannel, OnRequest),
            Subscribe(_responseChannel, OnResponse),
            Subscribe(RedisChannel.Literal($"{Options.ChannelPrefix}-response#{Namespace.Name}#{Uid}#"), OnResponse),
            Subscribe(HeartbeatChannel, OnHeartbeatMessage)).ConfigureAwait(false);
        SendHeartbeat(InitialHeartbeat);
    }

    public override void Broadcast(OutboundPacket packet, BroadcastOptions options)
    {
        if (!options.Flags.Local)
        {
            // Encoded before the local send, from the packet's JSON tree (binary stays in place as bin).
            var message = new JArray(Uid, Packet((JArray)packet.Packet.Data!), ClusterRecoveryPackets.WithOffset(ClusterJson.Options(options), packet));
            var channel = options.Rooms.Count == 1 ? $"{_broadcastChannel}{options.Rooms.First()}#" : _broadcastChannel;
            Redis.Publish(RedisChannel.Literal(channel), ClusterJson.Notepack(message));
        }
        Local.Broadcast(packet, options);
    }

    /// <summary>Subscribers of the request channel, summed over the primaries: every node (this one included) subscribes once.</summary>
    public override async Task<int> ServerCountAsync(CancellationToken cancellationToken = default) =>
        (int)await Redis.SumOverPrimariesAsync("PUBSUB", ["NUMSUB", _requestChannel.ToString()], 1).ConfigureAwait(false);

    public override async Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default)
    {
        var rooms = Local.LocalRooms();
        var others = await ServerCountAsync(cancellationToken).ConfigureAwait(false) - 1;
        if (others <= 0)
        {
            return rooms;
        }
        var answers = await RequestAsync(
            "allRooms",
            others,
            Options.RequestsTimeout,
            id => Request(new JObject { ["uid"] = Uid, ["requestId"] = id, ["type"] = AllRoomsType }),
            cancellationToken).ConfigureAwait(false);
        foreach (var answer in answers)
        {
            rooms.UnionWith(ClusterJson.Rooms(answer["rooms"]));
        }
        return rooms;
    }

    protected override string NewRequestId() => ClusterJson.RandomId(6);

    protected override void PublishBroadcastWithAck(string requestId, JArray data, BroadcastOptions options) =>
        Redis.Publish(_requestChannel, ClusterJson.Notepack(new JObject
        {
            ["uid"] = Uid,
            ["requestId"] = requestId,
            ["type"] = BroadcastType,
            ["packet"] = Packet(data),
            ["opts"] = ClusterJson.Options(options),
        }));

    protected override void SendFetch(string requestId, BroadcastOptions options) =>
        Request(new JObject { ["uid"] = Uid, ["requestId"] = requestId, ["type"] = RemoteFetch, ["opts"] = ClusterJson.Options(options, withFlags: false) });

    protected override Task PublishSocketsJoinAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        RequestEveryoneAsync(RemoteJoin, options, "rooms", new JArray(rooms));

    protected override Task PublishSocketsLeaveAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        RequestEveryoneAsync(RemoteLeave, options, "rooms", new JArray(rooms));

    protected override Task PublishDisconnectSocketsAsync(BroadcastOptions options, bool close) =>
        RequestEveryoneAsync(RemoteDisconnect, options, "close", close);

    protected override void SendServerSideEmit(JArray data, string? requestId)
    {
        var request = new JObject { ["uid"] = Uid, ["type"] = ServerSideEmitType, ["data"] = data };
        if (requestId is not null)
        {
            request["requestId"] = requestId;
        }
        Request(request);
    }

    protected override JToken ServerSideEmitAnswer(JToken answer) => answer["data"] ?? JValue.CreateNull();

    // Node nodes answer on the shared response channel unless told otherwise; every node hears it.
    protected override void RespondClientCount(string requester, string requestId, int count) =>
        Respond(new JObject { ["type"] = BroadcastClientCount, ["requestId"] = requestId, ["clientCount"] = count });

    protected override void RespondAck(string requester, string requestId, JToken ack) =>
        Redis.Publish(_responseChannel, ClusterJson.Notepack(new JObject { ["type"] = BroadcastAck, ["requestId"] = requestId, ["packet"] = ack }));

    protected override byte[] HeartbeatMessage(int type) => ClusterJson.Json(new JObject { ["type"] = type, ["uid"] = Uid, ["nsp"] = Namespace.Name });

    /// <summary>A one-room channel for a room no socket here is in: nothing to decode.</summary>
    private bool IsForKnownRoom(ChannelMessage message)
    {
        var channel = message.Channel.ToString();
        if (!channel.StartsWith(_broadcastChannel, StringComparison.Ordinal))
        {
            return false;
        }
        var room = channel.Length > _broadcastChannel.Length ? channel[_broadcastChannel.Length..^1] : "";
        return room.Length == 0 || Local.HasRoom(room);
    }

    /// <summary>A broadcast of another node (or the emitter): delivered to this node's matching sockets.</summary>
    private void OnBroadcast(JToken message, ChannelMessage raw)
    {
        if (message is not JArray { Count: >= 2 } decoded || ClusterJson.String(decoded[0]) == Uid)
        {
            return;
        }
        if (decoded[1] is not JObject packet || (ClusterJson.String(packet["nsp"]) ?? "/") != Namespace.Name || packet["data"] is not JArray data)
        {
            return;
        }
        var options = ClusterJson.ReadOptions(decoded.Count > 2 ? decoded[2] : null);
        Local.Broadcast(ClusterRecoveryPackets.Received(Namespace, data, decoded.Count > 2 ? decoded[2] : null), options);
    }

    private void OnRequest(JToken request, ChannelMessage raw)
    {
        var uid = ClusterJson.String(request["uid"]);
        var requestId = ClusterJson.String(request["requestId"]);
        switch (ClusterJson.Int(request["type"]))
        {
            case AllRoomsType when !IsOwnRequest(requestId):
                Respond(new JObject { ["requestId"] = requestId, ["rooms"] = new JArray(Local.LocalRooms()) });
                break;
            // Join, leave and disconnect were applied here when sent: only other nodes' (and the emitter's, with no uid) count.
            case RemoteJoin when uid != Uid && request["opts"] is not null:
                Local.AddSocketsLocally(ClusterJson.ReadOptions(request["opts"]), ClusterJson.Rooms(request["rooms"]));
                break;
            case RemoteLeave when uid != Uid && request["opts"] is not null:
                Local.DelSocketsLocally(ClusterJson.ReadOptions(request["opts"]), ClusterJson.Rooms(request["rooms"]));
                break;
            case RemoteDisconnect when uid != Uid && request["opts"] is not null:
                Local.DisconnectSocketsLocally(ClusterJson.ReadOptions(request["opts"]), request["close"]?.Type == JTokenType.Boolean && (bool)request["close"]!);
                break;
            case RemoteFetch when !IsOwnRequest(requestId):
                Respond(new JObject { ["requestId"] = requestId, ["sockets"] = LocalDescriptions(ClusterJson.ReadOptions(request["opts"])) });
                break;
            case ServerSideEmitType when uid != Uid && request["data"] is JArray data:
                Namespace.HandleServerSideEmit(data, requestId is null ? null : answer =>
                    Respond(new JObject { ["type"] = ServerSideEmitType, ["requestId"] = requestId, ["data"] = answer }));
                break;
            case BroadcastType when requestId is not null && !IsOwnRequest(requestId) && Field(request["packet"], "data") is JArray data:
                OnBroadcastWithAck(uid ?? "", requestId, data, ClusterJson.ReadOptions(request["opts"]));
                break;
        }
    }

    private void OnResponse(JToken response, ChannelMessage raw)
    {
        var requestId = ClusterJson.String(response["requestId"]);
        if (IsAckRequest(requestId))
        {
            switch (ClusterJson.Int(response["type"]))
            {
                case BroadcastClientCount when ClusterJson.Int(response["clientCount"]) is { } count:
                    OnClientCount(requestId, count);
                    break;
                case BroadcastAck:
                    OnAck(requestId, response["packet"] ?? JValue.CreateNull());
                    break;
            }
            return;
        }
        Answer(requestId, response);
    }

    private void OnHeartbeatMessage(JToken heartbeat, ChannelMessage raw)
    {
        if (ClusterJson.String(heartbeat["uid"]) is { } uid && uid != Uid)
        {
            OnHeartbeat(ClusterJson.Int(heartbeat["type"]), uid);
        }
    }

    private void Request(JObject request) => Redis.Publish(_requestChannel, ClusterJson.Json(request));

    private Task RequestEveryoneAsync(int type, BroadcastOptions options, string key, JToken value) =>
        Redis.PublishAsync(_requestChannel, ClusterJson.Json(new JObject
        {
            ["uid"] = Uid,
            ["type"] = type,
            ["opts"] = ClusterJson.Options(options, withFlags: false),
            [key] = value,
        }));

    private void Respond(JObject response) => Redis.Publish(_responseChannel, ClusterJson.Json(response));

    private JObject Packet(JArray data) => new() { ["type"] = (int)SocketPacketType.Event, ["data"] = data, ["nsp"] = Namespace.Name };

    private static string EscapeGlob(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? $"\\{c}" : c.ToString()));
}
