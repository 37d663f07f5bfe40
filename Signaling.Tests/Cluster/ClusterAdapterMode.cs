namespace Signaling.Tests.Cluster;

/// <summary>Which @socket.io/redis-adapter a cluster runs: classic pub/sub or sharded pub/sub (Redis 7).</summary>
public enum ClusterAdapterMode
{
    Classic,
    Sharded,
}
