namespace Signaling.Protocol.Cluster;

/// <summary>The sharded adapter's <c>subscriptionMode</c>: which rooms get a shard channel of their own.</summary>
internal enum ShardedSubscriptionMode
{
    /// <summary>None: everything on the namespace's main channel.</summary>
    Static,

    /// <summary>Public rooms (not socket ids): Node's default.</summary>
    Dynamic,

    /// <summary>Every room, socket-id rooms included.</summary>
    DynamicPrivate,
}
