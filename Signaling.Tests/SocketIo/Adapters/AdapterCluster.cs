using Signaling.Server.Cluster;
using Signaling.Server.SocketIo;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.SocketIo.Adapters;

/// <summary>
/// Two nodes of one cluster as <see cref="AdapterSpecification"/> sees them. For the in-memory
/// adapter both are the same server, so every "other node" expectation becomes a local one.
/// </summary>
/// <param name="after">Closed after the nodes, in this order (their Redis connections, then Redis).</param>
internal sealed class AdapterCluster(SocketIoTestHost first, SocketIoTestHost second, params IAsyncDisposable[] after) : IAsyncDisposable
{
    public SocketIoTestHost First { get; } = first;

    public SocketIoTestHost Second { get; } = second;

    /// <summary>Whether the two nodes are separate servers (a real cluster).</summary>
    public bool Distinct => !ReferenceEquals(First, Second);

    /// <summary>
    /// Whether a node handles what the others publish in the order Redis delivered it, whatever the channels: one
    /// process, or the classic wire (one pattern subscription); not the sharded wire, where each channel is a
    /// subscription of its own (as for Node nodes on a Redis Cluster, whose shards are separate connections).
    /// </summary>
    public bool OrdersAcrossChannels => Second.Io.Sockets.Adapter is not ShardedRedisAdapter;

    /// <summary>A client on <paramref name="node"/> and its socket there.</summary>
    public static async Task<(NodeSocketClient Client, SocketIoSocket Socket)> ConnectAsync(SocketIoTestHost node, ClientVersion version)
    {
        await node.Io.Sockets.Ready;
        var client = await node.ConnectAsync(version, TransportMode.WebSocket);
        return (client, await node.NextConnectionAsync());
    }

    /// <summary>
    /// Until the node of <paramref name="socket"/> hears broadcasts to <paramref name="room"/>: a sharded node
    /// subscribes to a room's channel when the room is created there, as Node's does, so an emit from
    /// another node right after the join may come before it.
    /// </summary>
    public static Task RoomHeardAsync(SocketIoSocket socket, string room) =>
        socket.Namespace.Adapter is ShardedRedisAdapter sharded ? sharded.RoomHeard(room) : Task.CompletedTask;

    /// <summary>
    /// Until another node's join of <paramref name="socket"/> to the public <paramref name="room"/> is in on the socket's
    /// node, and there heard: a sharded node (dynamic mode) subscribes to the room's channel once the join is in, a
    /// moment after the socket's rooms show it.
    /// </summary>
    public static async Task RemoteJoinHeardAsync(SocketIoSocket socket, string room)
    {
        await Eventually.AssertAsync(
            () => socket.Rooms.Contains(room) && (socket.Namespace.Adapter is not ShardedRedisAdapter sharded || sharded.HasRoomSubscription(room)),
            $"{socket.Id} joined {room}",
            TimeSpan.FromSeconds(10));
        await RoomHeardAsync(socket, room);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await First.DisposeAsync();
            if (Distinct)
            {
                await Second.DisposeAsync();
            }
        }
        finally
        {
            await new AsyncDisposables(after).DisposeAsync();
        }
    }
}
