using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using Signaling.Protocol;
using Signaling.Protocol.Cluster;
using Signaling.Server.SocketIo;
using Signaling.Server.SocketIo.Recovery;
using StackExchange.Redis;
using BroadcastOptions = Signaling.Server.SocketIo.BroadcastOptions;

namespace Signaling.Server.Cluster;

/// <summary>
/// What both Redis wires share: this node's part of every operation done at once by an
/// <see cref="InMemoryAdapter"/>, never waiting for Redis; requests to the other nodes counted
/// against the server count and ended by <see cref="RedisOptions.RequestsTimeout"/>; broadcasts
/// with acks; the heartbeat roster. A subclass says how each message looks on its wire.
/// </summary>
internal abstract class RedisAdapter : ISocketIoAdapter, IRecoverySessionStoreSource
{
    private readonly ConcurrentDictionary<string, (Action<int> OnClientCount, Action<JToken> OnAck)> _ackRequests = new(StringComparer.Ordinal);
    private readonly List<Task<ChannelMessageQueue>> _subscriptions = [];
    private readonly PendingRequests _requests;
    private readonly NodeRoster _roster;

    protected RedisAdapter(SocketIoNamespace nsp, RedisConnection redis, RedisOptions options, ILogger logger, string uid, bool subscribeRooms = false)
    {
        Namespace = nsp;
        Local = subscribeRooms ? new InMemoryAdapter(nsp, OnRoomCreated, OnRoomDeleted) : new InMemoryAdapter(nsp);
        Redis = redis;
        Options = options;
        Logger = logger;
        Uid = uid;
        _requests = new PendingRequests(nsp.Server.TimeProvider);
        _roster = new NodeRoster(nsp, options, logger, () => SendHeartbeat(ClusterMessageType.Heartbeat));
        redis.Restored += OnRedisRestored;
    }

    protected SocketIoNamespace Namespace { get; }

    protected InMemoryAdapter Local { get; }

    protected RedisConnection Redis { get; }

    protected RedisOptions Options { get; }

    protected ILogger Logger { get; }

    /// <summary>This node's id in its messages (one per namespace, as Node nodes have).</summary>
    protected string Uid { get; }

    public abstract Task InitAsync(CancellationToken cancellationToken);

    public IRecoverySessionStore CreateRecoveryStore(RecoveryOptions options) => new RedisRecoverySessionStore(Namespace, Redis, Options, options, Logger);

    public void Join(string socketId, string room) => Local.Join(socketId, room);

    public void Leave(string socketId, string room) => Local.Leave(socketId, room);

    public void LeaveAll(string socketId) => Local.LeaveAll(socketId);

    public IReadOnlyCollection<string> RoomsOf(string socketId) => Local.RoomsOf(socketId);

    public abstract void Broadcast(OutboundPacket packet, BroadcastOptions options);

    public void BroadcastWithAck(JArray data, BroadcastOptions options, Action<int> onClientCount, Action<JToken> onAck)
    {
        if (!options.Flags.Local)
        {
            var requestId = NewRequestId();
            _ackRequests[requestId] = (onClientCount, onAck);
            PublishBroadcastWithAck(requestId, data, options);
            _ = ForgetAckRequestAsync(requestId, options.Flags.Timeout ?? Options.RequestsTimeout);
        }
        Local.BroadcastWithAck(data, options, onClientCount, onAck);
    }

    public abstract Task<int> ServerCountAsync(CancellationToken cancellationToken = default);

    public abstract Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default);

    public async Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        var sockets = await Local.FetchSocketsAsync(options, cancellationToken).ConfigureAwait(false);
        if (options.Flags.Local)
        {
            return sockets;
        }
        var others = await ServerCountAsync(cancellationToken).ConfigureAwait(false) - 1;
        if (others <= 0)
        {
            return sockets;
        }
        var answers = await RequestAsync<IReadOnlyList<RemoteSocketDetails>>("fetchSockets", others, FetchTimeout(options), id => SendFetch(id, options), cancellationToken).ConfigureAwait(false);
        return [.. sockets, .. answers.SelectMany(answer => answer).Select(socket => WireOptions.FromWire(Namespace, socket))];
    }

    public Task AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        Local.AddSocketsLocally(options, rooms);
        return options.Flags.Local ? Task.CompletedTask : PublishSocketsJoinAsync(options, rooms);
    }

    public Task DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms)
    {
        Local.DelSocketsLocally(options, rooms);
        return options.Flags.Local ? Task.CompletedTask : PublishSocketsLeaveAsync(options, rooms);
    }

    public Task DisconnectSocketsAsync(BroadcastOptions options, bool close)
    {
        Local.DisconnectSocketsLocally(options, close);
        return options.Flags.Local ? Task.CompletedTask : PublishDisconnectSocketsAsync(options, close);
    }

    public void ServerSideEmit(JArray data) => SendServerSideEmit(data, null);

    public async Task<IReadOnlyList<JToken>> ServerSideEmitWithAckAsync(JArray data, CancellationToken cancellationToken = default)
    {
        var others = await ServerCountAsync(cancellationToken).ConfigureAwait(false) - 1;
        if (others <= 0)
        {
            return [];
        }
        try
        {
            return await RequestAsync<JToken>("serverSideEmit", others, Options.RequestsTimeout, id => SendServerSideEmit(data, id), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestTimeoutException timeout)
        {
            throw new BroadcastAckTimeoutException(timeout.Message, [.. timeout.Answers.OfType<JToken>()]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Redis.Restored -= OnRedisRestored;
        _roster.Dispose();
        // Awaited: a stopping node's goodbye must reach Redis before the connection closes.
        await Redis.PublishAsync(HeartbeatChannel, HeartbeatMessage(ClusterMessageType.AdapterClose)).ConfigureAwait(false);
        Task<ChannelMessageQueue>[] subscriptions;
        lock (_subscriptions)
        {
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }
        foreach (var subscription in subscriptions)
        {
            await UnsubscribeAsync(subscription).ConfigureAwait(false);
        }
    }

    protected abstract RedisChannel HeartbeatChannel { get; }

    protected abstract string NewRequestId();

    protected abstract void PublishBroadcastWithAck(string requestId, JArray data, BroadcastOptions options);

    protected abstract void SendFetch(string requestId, BroadcastOptions options);

    protected virtual TimeSpan FetchTimeout(BroadcastOptions options) => Options.RequestsTimeout;

    protected abstract Task PublishSocketsJoinAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    protected abstract Task PublishSocketsLeaveAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    protected abstract Task PublishDisconnectSocketsAsync(BroadcastOptions options, bool close);

    /// <summary>A server-side emit; with a request id, one that waits for answers.</summary>
    protected abstract void SendServerSideEmit(JArray data, string? requestId);

    protected abstract void RespondClientCount(string requester, string requestId, int count);

    protected abstract void RespondAck(string requester, string requestId, JToken ack);

    /// <summary>Subscribes; the subscription ends when the adapter does. <paramref name="handler"/> decodes and handles a message's bytes.</summary>
    protected Task<ChannelMessageQueue> Subscribe(RedisChannel channel, Action<byte[]> handler) => Subscribe(channel, _ => handler);

    /// <summary>
    /// Subscribes; the subscription ends when the adapter does. <paramref name="route"/> picks by its channel the handler that
    /// decodes and handles a message's bytes, or null to drop it before it is decoded.
    /// </summary>
    protected Task<ChannelMessageQueue> Subscribe(RedisChannel channel, Func<ChannelMessage, Action<byte[]>?> route) =>
        Track(Redis.SubscribeAsync(channel, message =>
        {
            if (route(message) is { } handler)
            {
                Guard(message, handler);
            }
        }));

    /// <summary>Subscribes with a queue nothing reads (the caller empties it); it ends when the adapter does.</summary>
    protected Task<ChannelMessageQueue> SubscribeUnread(RedisChannel channel) => Track(Redis.SubscribeAsync(channel, null));

    /// <summary>Whether the id is one of this node's pending requests (its echo is then ignored).</summary>
    protected bool IsOwnRequest(string? requestId) => requestId is not null && (_requests.IsOwn(requestId) || _ackRequests.ContainsKey(requestId));

    /// <summary>
    /// Hands an answer to the request it belongs to (sockets for a fetch, rooms for allRooms, the value of a server-side
    /// emit's ack); answers to other nodes' requests are dropped.
    /// </summary>
    protected void Answer(string? requestId, object answer) => _requests.Answer(requestId, answer);

    protected void OnClientCount(string? requestId, int count)
    {
        if (requestId is not null && _ackRequests.TryGetValue(requestId, out var request))
        {
            request.OnClientCount(count);
        }
    }

    protected void OnAck(string? requestId, JToken ack)
    {
        if (requestId is not null && _ackRequests.TryGetValue(requestId, out var request))
        {
            request.OnAck(ack);
        }
    }

    protected bool IsAckRequest(string? requestId) => requestId is not null && _ackRequests.ContainsKey(requestId);

    /// <summary>Another node's emit with acks: this node's count first, then each socket's ack.</summary>
    protected void OnBroadcastWithAck(string requester, string requestId, JArray data, BroadcastOptions options)
    {
        if (options.Flags.Timeout is null)
        {
            options = options with { Flags = options.Flags with { Timeout = Options.RequestsTimeout } };
        }
        var count = Local.BroadcastWithAckLocally(data, options, ack => RespondAck(requester, requestId, ack));
        // Published before any ack can be: acks come back from clients later, on other threads.
        RespondClientCount(requester, requestId, count);
    }

    /// <summary>This node's sockets that <paramref name="options"/> selects, as a fetch answers.</summary>
    protected IReadOnlyList<RemoteSocketDetails> LocalDescriptions(BroadcastOptions options) => [.. Local.LocalSockets(options).Select(WireOptions.ToWire)];

    /// <summary>Heartbeats of other nodes of ours; true when the message was one.</summary>
    protected bool OnHeartbeat(ClusterMessageType type, string uid)
    {
        switch (type)
        {
            case ClusterMessageType.InitialHeartbeat:
                _roster.Heard(uid);
                SendHeartbeat(ClusterMessageType.Heartbeat);
                return true;
            case ClusterMessageType.Heartbeat:
                _roster.Heard(uid);
                return true;
            case ClusterMessageType.AdapterClose:
                _roster.Left(uid);
                return true;
            default:
                return false;
        }
    }

    /// <summary>socket.io-adapter's ClusterAdapterWithHeartbeat signals, which our nodes send on both wires.</summary>
    protected void SendHeartbeat(ClusterMessageType type) => Redis.Publish(HeartbeatChannel, HeartbeatMessage(type));

    /// <summary>A room got its first socket on this node; <paramref name="isSocketId"/> when it is that socket's own room.</summary>
    protected virtual void OnRoomCreated(string room, bool isSocketId)
    {
    }

    protected virtual void OnRoomDeleted(string room, bool isSocketId)
    {
    }

    protected static async Task UnsubscribeAsync(Task<ChannelMessageQueue> subscription)
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

    /// <summary>Sends a request (built by <paramref name="send"/> around its id) and waits for <paramref name="expected"/> answers; a timeout is logged and thrown.</summary>
    protected async Task<IReadOnlyList<TAnswer>> RequestAsync<TAnswer>(string kind, int expected, TimeSpan timeout, Action<string> send, CancellationToken cancellationToken)
    {
        try
        {
            return await _requests.RequestAsync<TAnswer>(kind, expected, timeout, send, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestTimeoutException error)
        {
            Logger.RequestTimedOut(kind, Namespace.Name, error.Received, expected);
            throw;
        }
    }

    private Task<ChannelMessageQueue> Track(Task<ChannelMessageQueue> subscription)
    {
        lock (_subscriptions)
        {
            _subscriptions.Add(subscription);
        }
        return subscription;
    }

    /// <summary>Decodes and handles one message; a malformed or failing one is logged and the next goes on.</summary>
    private void Guard(ChannelMessage message, Action<byte[]> handler)
    {
        try
        {
            handler((byte[])message.Message!);
        }
        catch (ProtocolException error)
        {
            Logger.MalformedMessage(message.Channel.ToString(), error.Message);
        }
        catch (Exception error)
        {
            Logger.HandlingFailed(error, message.Channel.ToString());
        }
    }

    private byte[] HeartbeatMessage(ClusterMessageType type) => ClusterMessage.Signal(type, Uid, Namespace.Name).Encode();

    private void OnRedisRestored() => Namespace.OnClusterChanged("back on Redis");

    private async Task ForgetAckRequestAsync(string requestId, TimeSpan timeout)
    {
        await Task.Delay(timeout, Namespace.Server.TimeProvider).ConfigureAwait(false);
        _ackRequests.TryRemove(requestId, out _);
    }
}
