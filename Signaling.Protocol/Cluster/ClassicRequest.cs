using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// A request on <see cref="ClassicChannels.Request"/>. The fields used depend on <see cref="Type"/>; the factory
/// methods build each kind as @socket.io/redis-adapter 8.3.0 (or the emitter) sends it, and <see cref="Encode"/>
/// writes it with Node's key order: JSON for every kind except <see cref="ClassicRequestType.Broadcast"/>
/// (a broadcast with acks, MessagePack as it may carry binary).
/// </summary>
internal sealed class ClassicRequest
{
    private ClassicRequest(ClassicRequestType type) => Type = type;

    public ClassicRequestType Type { get; }

    /// <summary>The sender's uid; the emitter sends none on join/leave/disconnect and <c>"emitter"</c> on serverSideEmit.</summary>
    public string? Uid { get; private init; }

    /// <summary>Set on the requests that get answers (and on a serverSideEmit that wants acks).</summary>
    public string? RequestId { get; private init; }

    /// <summary>Which sockets a join, leave, disconnect, fetch or broadcast targets.</summary>
    public BroadcastOptions? Options { get; private init; }

    /// <summary>The rooms to join or leave (or, for <see cref="ClassicRequestType.Sockets"/>, to list).</summary>
    public IReadOnlyList<string>? Rooms { get; private init; }

    /// <summary>Whether disconnectSockets also closes the underlying connection.</summary>
    public bool Close { get; private init; }

    /// <summary>A serverSideEmit's event name and arguments (JSON: Buffers inside arrive as {type:"Buffer"} objects).</summary>
    public JArray? Data { get; private init; }

    /// <summary>The packet of a broadcast with acks (it carries no ack id: each receiver assigns its own).</summary>
    public ClusterPacket? Packet { get; private init; }

    /// <summary>Adapters before 7.x named one socket (<c>sid</c>) and one room in join/leave/disconnect requests.</summary>
    public string? LegacySocketId { get; private init; }

    public string? LegacyRoom { get; private init; }

    public static ClassicRequest AllRooms(string uid, string requestId) =>
        new(ClassicRequestType.AllRooms) { Uid = uid, RequestId = requestId };

    public static ClassicRequest RemoteJoin(string? uid, BroadcastOptions options, IReadOnlyList<string> rooms) =>
        new(ClassicRequestType.RemoteJoin) { Uid = uid, Options = options, Rooms = rooms };

    public static ClassicRequest RemoteLeave(string? uid, BroadcastOptions options, IReadOnlyList<string> rooms) =>
        new(ClassicRequestType.RemoteLeave) { Uid = uid, Options = options, Rooms = rooms };

    public static ClassicRequest RemoteDisconnect(string? uid, BroadcastOptions options, bool close) =>
        new(ClassicRequestType.RemoteDisconnect) { Uid = uid, Options = options, Close = close };

    public static ClassicRequest RemoteFetch(string uid, string requestId, BroadcastOptions options) =>
        new(ClassicRequestType.RemoteFetch) { Uid = uid, RequestId = requestId, Options = options };

    /// <summary>A server-side emit; <paramref name="requestId"/> is set when the sender waits for acks.</summary>
    public static ClassicRequest ServerSideEmit(string uid, string? requestId, JArray data) =>
        new(ClassicRequestType.ServerSideEmit) { Uid = uid, RequestId = requestId, Data = data };

    public static ClassicRequest BroadcastWithAck(string uid, string requestId, ClusterPacket packet, BroadcastOptions options) =>
        new(ClassicRequestType.Broadcast) { Uid = uid, RequestId = requestId, Packet = packet, Options = options };

    public byte[] Encode()
    {
        var message = new JObject();
        if (Uid is not null)
        {
            message["uid"] = Uid;
        }

        if (RequestId is not null)
        {
            message["requestId"] = RequestId;
        }

        message["type"] = (int)Type;
        if (Type == ClassicRequestType.Broadcast)
        {
            message["packet"] = Packet!.ToJson();
            message["opts"] = Options!.ToJson(withFlags: true);
            return NotepackEncoder.Encode(message);
        }

        if (Options is not null)
        {
            message["opts"] = Options.ToJson(withFlags: false);
        }

        if (Rooms is not null)
        {
            message["rooms"] = new JArray(Rooms);
        }

        if (Type == ClassicRequestType.RemoteDisconnect)
        {
            message["close"] = Close;
        }

        if (Data is not null)
        {
            message["data"] = Data;
        }

        return ClusterJson.Serialize(message);
    }

    /// <exception cref="ProtocolException">Neither JSON nor MessagePack, or not a request of a known type with its fields.</exception>
    public static ClassicRequest Decode(ReadOnlySpan<byte> message, int maxDepth = NotepackDecoder.DefaultMaxDepth)
    {
        JObject request = ClusterPayload.RequireObject(ClusterPayload.Decode(message, maxDepth), "request");
        var type = (ClassicRequestType)ClusterPayload.RequireInt(request["type"], "request type");
        string? uid = ClusterPayload.OptionalString(request["uid"], "uid");
        string? requestId = ClusterPayload.OptionalString(request["requestId"], "requestId");
        string RequiredId() => requestId ?? throw new ProtocolException($"Classic {type} request has no requestId");
        switch (type)
        {
            case ClassicRequestType.Sockets:
                return new ClassicRequest(type) { Uid = uid, RequestId = RequiredId(), Rooms = ClusterPayload.RoomNames(request["rooms"], "rooms") };
            case ClassicRequestType.AllRooms:
                return AllRooms(uid ?? "", RequiredId());
            case ClassicRequestType.RemoteJoin or ClassicRequestType.RemoteLeave or ClassicRequestType.RemoteDisconnect
                when request["opts"] is null:
                return new ClassicRequest(type)
                {
                    Uid = uid,
                    RequestId = RequiredId(),
                    LegacySocketId = ClusterPayload.RequireString(request["sid"], "sid"),
                    LegacyRoom = ClusterPayload.OptionalString(request["room"], "room"),
                    Close = request["close"] is JValue { Value: true },
                };
            case ClassicRequestType.RemoteJoin or ClassicRequestType.RemoteLeave:
                return new ClassicRequest(type)
                {
                    Uid = uid,
                    Options = BroadcastOptions.FromJson(request["opts"]),
                    Rooms = ClusterPayload.RoomNames(request["rooms"], "rooms"),
                };
            case ClassicRequestType.RemoteDisconnect:
                return RemoteDisconnect(uid, BroadcastOptions.FromJson(request["opts"]), request["close"] is JValue { Value: true });
            case ClassicRequestType.RemoteFetch:
                return RemoteFetch(uid ?? "", RequiredId(), BroadcastOptions.FromJson(request["opts"]));
            case ClassicRequestType.ServerSideEmit:
                return ServerSideEmit(uid ?? "", requestId,
                    request["data"] as JArray ?? throw new ProtocolException("Classic serverSideEmit request has no data array"));
            case ClassicRequestType.Broadcast:
                return BroadcastWithAck(uid ?? "", RequiredId(), ClusterPacket.FromJson(request["packet"]), BroadcastOptions.FromJson(request["opts"]));
            default:
                throw new ProtocolException($"Classic request of unknown type {(int)type}");
        }
    }
}
