using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// A response on <see cref="ClassicChannels.Response"/> (or the requester's specific channel). Answers to
/// fetch, allRooms and the legacy requests carry no <see cref="Type"/>: the requester knows what it asked by the
/// <see cref="RequestId"/>. JSON, except <see cref="ClassicRequestType.BroadcastAck"/> (MessagePack).
/// </summary>
internal sealed class ClassicResponse
{
    private ClassicResponse(ClassicRequestType? type, string requestId)
    {
        Type = type;
        RequestId = requestId;
    }

    /// <summary>Set only on serverSideEmit acks (6), client counts (8) and broadcast acks (9).</summary>
    public ClassicRequestType? Type { get; }

    public string RequestId { get; }

    /// <summary>
    /// A fetch answer's sockets (objects, see <see cref="FetchedSockets"/>), or a legacy SOCKETS answer's ids (strings).
    /// </summary>
    public JArray? Sockets { get; private init; }

    /// <summary>An allRooms answer: every room of the answering node, socket-id rooms included.</summary>
    public IReadOnlyList<string>? Rooms { get; private init; }

    /// <summary>A serverSideEmit ack's first argument (null when the handler acked with none).</summary>
    public JToken? Data { get; private init; }

    /// <summary>How many clients the answering node sent a broadcast with acks to.</summary>
    public int? ClientCount { get; private init; }

    /// <summary>A broadcast ack's first argument.</summary>
    public JToken? Packet { get; private init; }

    /// <summary>The sockets of a fetch answer.</summary>
    /// <exception cref="ProtocolException">The answer holds no socket objects.</exception>
    public IReadOnlyList<RemoteSocketDetails> FetchedSockets => RemoteSocketDetails.FromJson(Sockets, "sockets");

    public static ClassicResponse FetchSockets(string requestId, IReadOnlyList<RemoteSocketDetails> sockets) =>
        new(null, requestId) { Sockets = RemoteSocketDetails.ToJson(sockets) };

    public static ClassicResponse AllRooms(string requestId, IReadOnlyList<string> rooms) => new(null, requestId) { Rooms = rooms };

    /// <summary>The answer to a server-side emit: <paramref name="data"/> is the ack's first argument; null (or undefined) leaves <c>data</c> out, as JSON.stringify does.</summary>
    public static ClassicResponse ServerSideEmitAck(string requestId, JToken? data) =>
        new(ClassicRequestType.ServerSideEmit, requestId) { Data = data };

    public static ClassicResponse BroadcastClientCount(string requestId, int clientCount) =>
        new(ClassicRequestType.BroadcastClientCount, requestId) { ClientCount = clientCount };

    public static ClassicResponse BroadcastAck(string requestId, JToken? packet) =>
        new(ClassicRequestType.BroadcastAck, requestId) { Packet = packet };

    public byte[] Encode()
    {
        var message = new JObject();
        if (Type is { } type)
        {
            message["type"] = (int)type;
        }

        message["requestId"] = RequestId;
        if (Type == ClassicRequestType.BroadcastAck)
        {
            message["packet"] = Packet ?? JValue.CreateUndefined();
            return NotepackEncoder.Encode(message);
        }

        if (Sockets is not null)
        {
            message["sockets"] = Sockets;
        }

        if (Rooms is not null)
        {
            message["rooms"] = new JArray(Rooms);
        }

        if (Data is not null)
        {
            message["data"] = Data;
        }

        if (ClientCount is { } count)
        {
            message["clientCount"] = count;
        }

        return ClusterJson.Serialize(message);
    }

    /// <exception cref="ProtocolException">Neither JSON nor MessagePack, or no requestId.</exception>
    public static ClassicResponse Decode(ReadOnlySpan<byte> message, int maxDepth = NotepackDecoder.DefaultMaxDepth)
    {
        JObject response = ClusterPayload.RequireObject(ClusterPayload.Decode(message, maxDepth), "response");
        ClassicRequestType? type = response["type"] is null ? null : (ClassicRequestType)ClusterPayload.RequireInt(response["type"], "response type");
        return new ClassicResponse(type, ClusterPayload.RequireString(response["requestId"], "requestId"))
        {
            Sockets = response["sockets"] as JArray,
            Rooms = response["rooms"] is JArray ? ClusterPayload.RoomNames(response["rooms"], "rooms") : null,
            Data = response["data"],
            ClientCount = response["clientCount"] is null ? null : ClusterPayload.RequireInt(response["clientCount"], "clientCount"),
            Packet = response["packet"],
        };
    }
}
