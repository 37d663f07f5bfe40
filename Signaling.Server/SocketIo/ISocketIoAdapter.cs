using Newtonsoft.Json.Linq;

namespace Signaling.Server.SocketIo;

/// <summary>
/// Where a namespace keeps its rooms and how it reaches sockets on this node and, for a cluster
/// adapter, on every other node: the seam between one process (<see cref="InMemoryAdapter"/>,
/// where every operation is local) and many (<c>RedisAdapter</c>).
/// </summary>
/// <remarks>
/// Room bookkeeping and a broadcast's local part are synchronous and never wait for a network:
/// a cluster adapter delivers to this node's sockets at once and publishes for the others
/// without waiting. Operations that need the other nodes' answers are asynchronous and end
/// within the adapter's request timeout, with an error when answers are missing.
/// </remarks>
internal interface ISocketIoAdapter : IAsyncDisposable
{
    /// <summary>Starts hearing the other nodes (subscribes); nothing to do for one node.</summary>
    Task InitAsync(CancellationToken cancellationToken);

    /// <summary>Puts a socket of this node in a room.</summary>
    void Join(string socketId, string room);

    void Leave(string socketId, string room);

    /// <summary>Takes a socket of this node out of every room.</summary>
    void LeaveAll(string socketId);

    IReadOnlyCollection<string> RoomsOf(string socketId);

    /// <summary>Sends one packet to the sockets <paramref name="options"/> selects, on every node unless it says local.</summary>
    void Broadcast(OutboundPacket packet, BroadcastOptions options);

    /// <summary>
    /// Sends an event that each recipient acknowledges: every node reports how many sockets it
    /// sent it to through <paramref name="onClientCount"/> (this node first), then each socket's
    /// first ack argument through <paramref name="onAck"/>. Needs <see cref="BroadcastFlags.Timeout"/>.
    /// </summary>
    void BroadcastWithAck(JArray data, BroadcastOptions options, Action<int> onClientCount, Action<JToken> onAck);

    /// <summary>The nodes of the cluster, this one included.</summary>
    Task<int> ServerCountAsync(CancellationToken cancellationToken = default);

    /// <summary>Every room of every node (socket id rooms included).</summary>
    Task<IReadOnlySet<string>> AllRoomsAsync(CancellationToken cancellationToken = default);

    /// <summary>This node's matching sockets, then the other nodes' descriptions of theirs.</summary>
    Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default);

    /// <summary>Makes the matching sockets of every node join <paramref name="rooms"/>.</summary>
    Task AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    Task DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms);

    /// <summary>Disconnects the matching sockets of every node; with <paramref name="close"/>, their whole connections.</summary>
    Task DisconnectSocketsAsync(BroadcastOptions options, bool close);

    /// <summary>Hands <c>[event, ...args]</c> to the other nodes' server-side handlers (not this node's).</summary>
    void ServerSideEmit(JArray data);

    /// <summary>As <see cref="ServerSideEmit"/>, and waits for one answer per other node.</summary>
    Task<IReadOnlyList<JToken>> ServerSideEmitWithAckAsync(JArray data, CancellationToken cancellationToken = default);
}
