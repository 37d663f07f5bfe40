namespace Signaling.Server.Cluster;

/// <summary>
/// The cluster, bound from the <c>Redis</c> configuration section. Without a configuration
/// string the server is one node, in memory.
/// </summary>
public sealed class RedisOptions
{
    /// <summary>The configuration section it binds from.</summary>
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string such as <c>127.0.0.1:6379</c>; unset: no cluster.</summary>
    public string? Configuration { get; set; }

    /// <summary>The first part of every channel name, as the Node adapters' <c>key</c> / <c>channelPrefix</c>.</summary>
    public string ChannelPrefix { get; set; } = "socket.io";

    /// <summary>Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7), as <c>createShardedAdapter</c>; else classic, as <c>createAdapter</c>.</summary>
    public bool Sharded { get; set; }

    /// <summary>How long a request to the other nodes (fetchSockets, allRooms, serverSideEmit with acks) waits for their answers.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a node of ours tells the others it is alive (sharded mode; the classic wire has no heartbeat).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A node of ours silent for this long is taken as gone.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether a Redis is named: the server is then a node of a cluster.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
