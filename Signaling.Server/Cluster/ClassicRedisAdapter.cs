using System.Text;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.Cluster;
using Signaling.Protocol.SocketIo;
using Signaling.Server.SocketIo;
using StackExchange.Redis;
using BroadcastOptions = Signaling.Server.SocketIo.BroadcastOptions;

namespace Signaling.Server.Cluster;

/// <summary>
/// One namespace on the wire of <c>@socket.io/redis-adapter</c>'s <c>createAdapter</c> (classic
/// pub/sub, <see cref="ClassicChannels"/>): <see cref="ClassicBroadcast"/>s, <see cref="ClassicRequest"/>s
/// and <see cref="ClassicResponse"/>s; what <c>@socket.io/redis-emitter</c> publishes is understood too.
/// Our nodes also send heartbeats on <c>prefix-heartbeat#nsp#</c>, a channel Node nodes never hear
/// (the classic wire has none), so that a killed node is noticed. Everything of the namespace comes through one
/// pattern subscription and is handled in its order of arrival, as on a Node node's one connection: a join (request
/// channel) then an emit to the room (room channel) from another node or the emitter find the socket in the room.
/// </summary>
internal sealed class ClassicRedisAdapter : RedisAdapter
{
    private readonly ClassicChannels _channels;
    private readonly RedisChannel _requestChannel;
    private readonly RedisChannel _responseChannel;
    // The exact channels a message is routed by, in UTF-8 as they arrive.
    private readonly byte[] _requestUtf8;
    private readonly byte[] _responseUtf8;
    private readonly byte[] _specificResponseUtf8;
    private readonly byte[] _heartbeatUtf8;
    // The handlers as delegates made once, not at every message.
    private readonly Action<byte[]> _onBroadcast;
    private readonly Action<byte[]> _onRequest;
    private readonly Action<byte[]> _onResponse;
    private readonly Action<byte[]> _onHeartbeat;
    private ChannelMessageQueue? _requestCopies;

    /// <exception cref="ArgumentException">The namespace's name holds a glob character (Node nodes would misroute it).</exception>
    public ClassicRedisAdapter(SocketIoNamespace nsp, RedisConnection redis, RedisOptions options, ILogger logger)
        : base(nsp, redis, options, logger, ClusterIds.Uid2(6))
    {
        _channels = new ClassicChannels(options.ChannelPrefix, nsp.Name);
        _requestChannel = RedisChannel.Literal(_channels.Request);
        _responseChannel = RedisChannel.Literal(_channels.Response);
        _requestUtf8 = Encoding.UTF8.GetBytes(_channels.Request);
        _responseUtf8 = Encoding.UTF8.GetBytes(_channels.Response);
        _specificResponseUtf8 = Encoding.UTF8.GetBytes(_channels.SpecificResponse(Uid));
        _heartbeatUtf8 = Encoding.UTF8.GetBytes(_channels.Heartbeat);
        HeartbeatChannel = RedisChannel.Literal(_channels.Heartbeat);
        _onBroadcast = OnBroadcast;
        _onRequest = OnRequest;
        _onResponse = OnResponse;
        _onHeartbeat = OnHeartbeatMessage;
    }

    protected override RedisChannel HeartbeatChannel { get; }

    /// <summary>
    /// One pattern for all the namespace's channels, one queue. The request channel is SUBSCRIBEd too, as Node nodes
    /// count servers with PUBSUB NUMSUB on it; Redis then delivers each request twice, and the pattern's copy is the one handled.
    /// </summary>
    public override async Task InitAsync(CancellationToken cancellationToken)
    {
        var heard = Subscribe(RedisChannel.Pattern(_channels.NamespacePattern), Route);
        _requestCopies = await SubscribeUnread(_requestChannel).ConfigureAwait(false);
        await heard.ConfigureAwait(false);
        SendHeartbeat(ClusterMessageType.InitialHeartbeat);
    }

    public override void Broadcast(OutboundPacket packet, BroadcastOptions options)
    {
        if (!options.Flags.Local)
        {
            // Encoded before the local send (binary stays in place as bin).
            var wire = ClusterPackets.WithOffset(WireOptions.ToWire(options), packet);
            var message = new ClassicBroadcast(Uid, ClusterPackets.ToCluster(Namespace, packet, Namespace.Name), wire);
            Redis.Publish(new RedisChannel(_channels.BroadcastChannel(wire), RedisChannel.PatternMode.Literal), message.Encode());
        }
        Local.Broadcast(packet, options);
    }

    /// <summary>Subscribers of the request channel, summed over the primaries: every node (this one included) subscribes once.</summary>
    public override async Task<int> ServerCountAsync(CancellationToken cancellationToken = default) =>
        (int)await Redis.SumOverPrimariesAsync("PUBSUB", ["NUMSUB", _channels.Request], 1).ConfigureAwait(false);

    public override async Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default)
    {
        var rooms = Local.LocalRooms();
        var others = await ServerCountAsync(cancellationToken).ConfigureAwait(false) - 1;
        if (others <= 0)
        {
            return rooms;
        }
        var answers = await RequestAsync<IReadOnlyList<string>>(
            "allRooms",
            others,
            Options.RequestsTimeout,
            id => Request(ClassicRequest.AllRooms(Uid, id)),
            cancellationToken).ConfigureAwait(false);
        foreach (var answer in answers)
        {
            rooms.UnionWith(answer);
        }
        return rooms;
    }

    protected override string NewRequestId() => ClusterIds.Uid2(6);

    protected override void PublishBroadcastWithAck(string requestId, JArray data, BroadcastOptions options) =>
        Request(ClassicRequest.BroadcastWithAck(Uid, requestId, Packet(data), WireOptions.ToWire(options)));

    protected override void SendFetch(string requestId, BroadcastOptions options) =>
        Request(ClassicRequest.RemoteFetch(Uid, requestId, WireOptions.ToWire(options)));

    protected override Task PublishSocketsJoinAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishRequestAsync(ClassicRequest.RemoteJoin(Uid, WireOptions.ToWire(options), [.. rooms]));

    protected override Task PublishSocketsLeaveAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms) =>
        PublishRequestAsync(ClassicRequest.RemoteLeave(Uid, WireOptions.ToWire(options), [.. rooms]));

    protected override Task PublishDisconnectSocketsAsync(BroadcastOptions options, bool close) =>
        PublishRequestAsync(ClassicRequest.RemoteDisconnect(Uid, WireOptions.ToWire(options), close));

    protected override void SendServerSideEmit(JArray data, string? requestId) => Request(ClassicRequest.ServerSideEmit(Uid, requestId, data));

    // Node nodes answer on the shared response channel unless told otherwise; every node hears it.
    protected override void RespondClientCount(string requester, string requestId, int count) =>
        Respond(ClassicResponse.BroadcastClientCount(requestId, count));

    protected override void RespondAck(string requester, string requestId, JToken ack) => Respond(ClassicResponse.BroadcastAck(requestId, ack));

    /// <summary>The handler of a message by its exact channel; null (not decoded) for another namespace's, or a one-room channel for a room no socket here is in.</summary>
    private Action<byte[]>? Route(ChannelMessage message)
    {
        // Compared as bytes: every cross-node relay comes this way, and a string of its channel would be garbage.
        ReadOnlySpan<byte> channel = (byte[]?)message.Channel;
        if (_channels.RoomOf(channel) is { } room)
        {
            return room.Length == 0 || Local.HasRoom(room) ? _onBroadcast : null;
        }
        if (channel.SequenceEqual(_requestUtf8))
        {
            DropRequestCopies();
            return _onRequest;
        }
        return channel.SequenceEqual(_responseUtf8) || channel.SequenceEqual(_specificResponseUtf8) ? _onResponse
            : channel.SequenceEqual(_heartbeatUtf8) ? _onHeartbeat
            : null;
    }

    /// <summary>
    /// Empties the request channel's own queue: Redis sends a request to channel subscribers before pattern ones, so its
    /// copy there is in by now. Emptied as requests come, never read one by one, it stays a few messages long.
    /// </summary>
    private void DropRequestCopies()
    {
        if (_requestCopies is { } copies)
        {
            while (copies.TryRead(out _))
            {
            }
        }
    }

    /// <summary>A broadcast of another node (or the emitter): delivered to this node's matching sockets.</summary>
    private void OnBroadcast(byte[] raw)
    {
        var message = ClassicBroadcast.Decode(raw);
        if (message.Uid == Uid || message.Packet.Namespace != Namespace.Name)
        {
            return;
        }
        Local.Broadcast(ClusterPackets.Received(Namespace, message.Packet, message.Options), WireOptions.FromWire(message.Options));
    }

    private void OnRequest(byte[] raw)
    {
        var request = ClassicRequest.Decode(raw);
        // Join, leave and disconnect were applied here when sent: only other nodes' (and the emitter's, with no uid) count.
        var fromOther = request.Uid != Uid;
        switch (request.Type)
        {
            case ClassicRequestType.AllRooms when !IsOwnRequest(request.RequestId):
                Respond(ClassicResponse.AllRooms(request.RequestId!, [.. Local.LocalRooms()]));
                break;
            case ClassicRequestType.RemoteJoin when fromOther && request.Options is { } options:
                Local.AddSocketsLocally(WireOptions.FromWire(options), request.Rooms!);
                break;
            case ClassicRequestType.RemoteLeave when fromOther && request.Options is { } options:
                Local.DelSocketsLocally(WireOptions.FromWire(options), request.Rooms!);
                break;
            case ClassicRequestType.RemoteDisconnect when fromOther && request.Options is { } options:
                Local.DisconnectSocketsLocally(WireOptions.FromWire(options), request.Close);
                break;
            case ClassicRequestType.RemoteFetch when !IsOwnRequest(request.RequestId):
                Respond(ClassicResponse.FetchSockets(request.RequestId!, LocalDescriptions(WireOptions.FromWire(request.Options!))));
                break;
            case ClassicRequestType.ServerSideEmit when fromOther:
                var requestId = request.RequestId;
                Namespace.HandleServerSideEmit(request.Data!, requestId is null ? null : answer => Respond(ClassicResponse.ServerSideEmitAck(requestId, answer)));
                break;
            case ClassicRequestType.Broadcast when !IsOwnRequest(request.RequestId):
                OnBroadcastWithAck(request.Uid ?? "", request.RequestId!, request.Packet!.Data, WireOptions.FromWire(request.Options!));
                break;
        }
    }

    private void OnResponse(byte[] raw)
    {
        var response = ClassicResponse.Decode(raw);
        if (IsAckRequest(response.RequestId))
        {
            switch (response.Type)
            {
                case ClassicRequestType.BroadcastClientCount when response.ClientCount is { } count:
                    OnClientCount(response.RequestId, count);
                    break;
                case ClassicRequestType.BroadcastAck:
                    OnAck(response.RequestId, response.Packet ?? JValue.CreateNull());
                    break;
            }
            return;
        }
        // The requester knows what it asked: only the answer kind it waits for is taken.
        object? answer = response switch
        {
            { Type: ClassicRequestType.ServerSideEmit } => response.Data ?? JValue.CreateNull(),
            { Rooms: { } rooms } => rooms,
            { Sockets: not null } => response.FetchedSockets,
            _ => null,
        };
        if (answer is not null)
        {
            Answer(response.RequestId, answer);
        }
    }

    private void OnHeartbeatMessage(byte[] raw)
    {
        var heartbeat = ClusterMessage.Decode(raw);
        if (heartbeat.Uid != Uid)
        {
            OnHeartbeat(heartbeat.Type, heartbeat.Uid);
        }
    }

    private void Request(ClassicRequest request) => Redis.Publish(_requestChannel, request.Encode());

    private Task PublishRequestAsync(ClassicRequest request) => Redis.PublishAsync(_requestChannel, request.Encode());

    private void Respond(ClassicResponse response) => Redis.Publish(_responseChannel, response.Encode());

    private ClusterPacket Packet(JArray data) => new(data, Namespace.Name);
}
