using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// A message of socket.io-adapter's ClusterAdapter protocol, as the sharded Redis adapter publishes it (requests on
/// <see cref="ShardedChannels.Main"/> or a room channel, responses on the requester's <see cref="ShardedChannels.Response"/>):
/// <c>{type, data?, uid, nsp}</c>. Which data fields are set depends on <see cref="Type"/>; the factories build each
/// kind as Node does. <see cref="Encode"/> writes JSON, or a notepack map when the data of a broadcast, fetch answer,
/// serverSideEmit or ack holds a Buffer (the sharded adapter's rule).
/// </summary>
internal sealed class ClusterMessage
{
    private ClusterMessage(ClusterMessageType type, string uid, string nsp)
    {
        Type = type;
        Uid = uid;
        Namespace = nsp;
    }

    public ClusterMessageType Type { get; }

    /// <summary>The sender's uid (16 hex digits on Node; <c>"emitter"</c> for an emitter).</summary>
    public string Uid { get; }

    public string Namespace { get; }

    /// <summary>Set on answers and on the requests that want them (fetch, broadcast or serverSideEmit with acks).</summary>
    public string? RequestId { get; private init; }

    /// <summary>A broadcast's packet, <c>{type, data}</c> with no nsp.</summary>
    public ClusterPacket? Packet { get; private init; }

    /// <summary>Whom a broadcast, join, leave, disconnect or fetch targets.</summary>
    public BroadcastOptions? Options { get; private init; }

    /// <summary>The rooms to join or leave.</summary>
    public IReadOnlyList<string>? Rooms { get; private init; }

    public bool Close { get; private init; }

    /// <summary>A serverSideEmit's event name and arguments.</summary>
    public JArray? EmitData { get; private init; }

    /// <summary>The first argument of a serverSideEmit ack or a broadcast ack (null when none).</summary>
    public JToken? AckValue { get; private init; }

    public IReadOnlyList<RemoteSocketDetails>? Sockets { get; private init; }

    public int? ClientCount { get; private init; }

    /// <summary>Initial heartbeat, heartbeat or adapter close: no data.</summary>
    public static ClusterMessage Signal(ClusterMessageType type, string uid, string nsp) =>
        type is ClusterMessageType.InitialHeartbeat or ClusterMessageType.Heartbeat or ClusterMessageType.AdapterClose
            ? new ClusterMessage(type, uid, nsp)
            : throw new ArgumentException($"{type} carries data", nameof(type));

    /// <summary>A broadcast; <paramref name="requestId"/> is set for one with acks.</summary>
    public static ClusterMessage Broadcast(string uid, string nsp, ClusterPacket packet, BroadcastOptions options, string? requestId = null) =>
        new(ClusterMessageType.Broadcast, uid, nsp) { Packet = packet, Options = options, RequestId = requestId };

    public static ClusterMessage SocketsJoin(string uid, string nsp, BroadcastOptions options, IReadOnlyList<string> rooms) =>
        new(ClusterMessageType.SocketsJoin, uid, nsp) { Options = options, Rooms = rooms };

    public static ClusterMessage SocketsLeave(string uid, string nsp, BroadcastOptions options, IReadOnlyList<string> rooms) =>
        new(ClusterMessageType.SocketsLeave, uid, nsp) { Options = options, Rooms = rooms };

    public static ClusterMessage DisconnectSockets(string uid, string nsp, BroadcastOptions options, bool close) =>
        new(ClusterMessageType.DisconnectSockets, uid, nsp) { Options = options, Close = close };

    public static ClusterMessage FetchSockets(string uid, string nsp, BroadcastOptions options, string requestId) =>
        new(ClusterMessageType.FetchSockets, uid, nsp) { Options = options, RequestId = requestId };

    public static ClusterMessage FetchSocketsResponse(string uid, string nsp, string requestId, IReadOnlyList<RemoteSocketDetails> sockets) =>
        new(ClusterMessageType.FetchSocketsResponse, uid, nsp) { RequestId = requestId, Sockets = sockets };

    /// <summary>A server-side emit; <paramref name="requestId"/> is set when the sender waits for acks.</summary>
    public static ClusterMessage ServerSideEmit(string uid, string nsp, JArray data, string? requestId = null) =>
        new(ClusterMessageType.ServerSideEmit, uid, nsp) { EmitData = data, RequestId = requestId };

    public static ClusterMessage ServerSideEmitResponse(string uid, string nsp, string requestId, JToken? value) =>
        new(ClusterMessageType.ServerSideEmitResponse, uid, nsp) { RequestId = requestId, AckValue = value };

    public static ClusterMessage BroadcastClientCount(string uid, string nsp, string requestId, int clientCount) =>
        new(ClusterMessageType.BroadcastClientCount, uid, nsp) { RequestId = requestId, ClientCount = clientCount };

    public static ClusterMessage BroadcastAck(string uid, string nsp, string requestId, JToken? value) =>
        new(ClusterMessageType.BroadcastAck, uid, nsp) { RequestId = requestId, AckValue = value };

    public byte[] Encode()
    {
        JObject? data = DataToJson();
        var message = new JObject { ["type"] = (int)Type };
        if (data is not null)
        {
            message["data"] = data;
        }

        message["uid"] = Uid;
        message["nsp"] = Namespace;
        bool mayCarryBinary = Type is ClusterMessageType.Broadcast or ClusterMessageType.BroadcastAck
            or ClusterMessageType.FetchSocketsResponse or ClusterMessageType.ServerSideEmit or ClusterMessageType.ServerSideEmitResponse;
        return mayCarryBinary && ClusterPayload.HasBinary(data) ? NotepackEncoder.Encode(message) : ClusterJson.Serialize(message);
    }

    // Each kind's data with Node's key order (socket.io-adapter cluster-adapter.ts).
    private JObject? DataToJson() => Type switch
    {
        ClusterMessageType.Broadcast when RequestId is null => new JObject { ["packet"] = Packet!.ToJson(), ["opts"] = Options!.ToJson(withFlags: true) },
        ClusterMessageType.Broadcast => new JObject { ["packet"] = Packet!.ToJson(), ["requestId"] = RequestId, ["opts"] = Options!.ToJson(withFlags: true) },
        ClusterMessageType.SocketsJoin or ClusterMessageType.SocketsLeave => new JObject { ["opts"] = Options!.ToJson(withFlags: true), ["rooms"] = new JArray(Rooms!) },
        ClusterMessageType.DisconnectSockets => new JObject { ["opts"] = Options!.ToJson(withFlags: true), ["close"] = Close },
        ClusterMessageType.FetchSockets => new JObject { ["opts"] = Options!.ToJson(withFlags: true), ["requestId"] = RequestId },
        ClusterMessageType.FetchSocketsResponse => new JObject { ["requestId"] = RequestId, ["sockets"] = RemoteSocketDetails.ToJson(Sockets!) },
        ClusterMessageType.ServerSideEmit when RequestId is null => new JObject { ["packet"] = EmitData },
        ClusterMessageType.ServerSideEmit => new JObject { ["requestId"] = RequestId, ["packet"] = EmitData },
        ClusterMessageType.ServerSideEmitResponse or ClusterMessageType.BroadcastAck =>
            new JObject { ["requestId"] = RequestId, ["packet"] = AckValue ?? JValue.CreateUndefined() },
        ClusterMessageType.BroadcastClientCount => new JObject { ["requestId"] = RequestId, ["clientCount"] = ClientCount },
        _ => null,
    };

    /// <exception cref="ProtocolException">Neither JSON nor MessagePack, or not a message of a known type with its fields.</exception>
    public static ClusterMessage Decode(ReadOnlySpan<byte> raw, int maxDepth = NotepackDecoder.DefaultMaxDepth)
    {
        JObject message = ClusterPayload.RequireObject(ClusterPayload.Decode(raw, maxDepth), "message");
        var type = (ClusterMessageType)ClusterPayload.RequireInt(message["type"], "message type");
        string uid = ClusterPayload.RequireString(message["uid"], "uid");
        string nsp = ClusterPayload.RequireString(message["nsp"], "nsp");
        if (type is ClusterMessageType.InitialHeartbeat or ClusterMessageType.Heartbeat or ClusterMessageType.AdapterClose)
        {
            return Signal(type, uid, nsp);
        }

        JObject data = ClusterPayload.RequireObject(message["data"], "data");
        string? requestId = ClusterPayload.OptionalString(data["requestId"], "requestId");
        string RequiredId() => requestId ?? throw new ProtocolException($"Cluster {type} message has no requestId");
        BroadcastOptions Options() => BroadcastOptions.FromJson(data["opts"]);
        return type switch
        {
            ClusterMessageType.Broadcast => Broadcast(uid, nsp, ClusterPacket.FromJson(data["packet"]), Options(), requestId),
            ClusterMessageType.SocketsJoin => SocketsJoin(uid, nsp, Options(), ClusterPayload.RoomNames(data["rooms"], "rooms")),
            ClusterMessageType.SocketsLeave => SocketsLeave(uid, nsp, Options(), ClusterPayload.RoomNames(data["rooms"], "rooms")),
            ClusterMessageType.DisconnectSockets => DisconnectSockets(uid, nsp, Options(), data["close"] is JValue { Value: true }),
            ClusterMessageType.FetchSockets => FetchSockets(uid, nsp, Options(), RequiredId()),
            ClusterMessageType.FetchSocketsResponse => FetchSocketsResponse(uid, nsp, RequiredId(), RemoteSocketDetails.FromJson(data["sockets"], "sockets")),
            ClusterMessageType.ServerSideEmit => ServerSideEmit(uid, nsp,
                data["packet"] as JArray ?? throw new ProtocolException("Cluster serverSideEmit message has no packet array"), requestId),
            ClusterMessageType.ServerSideEmitResponse => ServerSideEmitResponse(uid, nsp, RequiredId(), data["packet"]),
            ClusterMessageType.BroadcastClientCount => BroadcastClientCount(uid, nsp, RequiredId(), ClusterPayload.RequireInt(data["clientCount"], "clientCount")),
            ClusterMessageType.BroadcastAck => BroadcastAck(uid, nsp, RequiredId(), data["packet"]),
            _ => throw new ProtocolException($"Cluster message of unknown type {(int)type}"),
        };
    }
}
