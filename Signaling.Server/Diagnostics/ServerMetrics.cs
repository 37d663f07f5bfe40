using System.Diagnostics.Metrics;

namespace Signaling.Server.Diagnostics;

/// <summary>
/// The server's instruments, on one process-wide <see cref="Meter"/> that the Prometheus exporter
/// and <c>dotnet-counters</c> both listen to by its name. Counts that change on every message are
/// kept as plain fields and read when scraped (an <c>Add</c> per message would be paid on the hot
/// path); the rarer ones are counters.
/// </summary>
public static class ServerMetrics
{
    public const string MeterName = "Signaling.Server";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Connections closed because the server held more than <c>EngineIo:MaxBufferedBytes</c> for them.</summary>
    public static readonly Counter<long> SlowConsumerCloses =
        Meter.CreateCounter<long>("signaling.slow_consumer.closes", "{connection}", "Connections closed as slow consumers");

    /// <summary>Inbound packets refused by a connection's rate limit; tag <c>limit</c>: <c>packets</c> or <c>bytes</c>.</summary>
    public static readonly Counter<long> RateLimited =
        Meter.CreateCounter<long>("signaling.rate_limited", "{packet}", "Inbound packets refused by a rate limit");

    /// <summary>Connections refused or closed by a limit; tag <c>reason</c>.</summary>
    public static readonly Counter<long> ConnectionsRefused =
        Meter.CreateCounter<long>("signaling.connections.refused", "{connection}", "Connections refused or closed by a limit");

    // Cluster (Redis adapter): counted per message, so plain fields read when scraped.
    internal static long ClusterPublished;
    internal static long ClusterReceived;
    internal static long ClusterPublishFailed;
    internal static int RedisConnected;

    /// <summary>Messages this node published to the other nodes of its cluster.</summary>
    public static readonly ObservableCounter<long> ClusterMessagesPublished = Meter.CreateObservableCounter(
        "signaling.cluster.messages.published", () => Volatile.Read(ref ClusterPublished), "{message}", "Cluster messages published to Redis");

    /// <summary>Messages this node received from the other nodes (its own echoes included).</summary>
    public static readonly ObservableCounter<long> ClusterMessagesReceived = Meter.CreateObservableCounter(
        "signaling.cluster.messages.received", () => Volatile.Read(ref ClusterReceived), "{message}", "Cluster messages received from Redis");

    /// <summary>Messages that could not be published (Redis down or refusing): lost for the other nodes.</summary>
    public static readonly ObservableCounter<long> ClusterMessagesFailed = Meter.CreateObservableCounter(
        "signaling.cluster.messages.failed", () => Volatile.Read(ref ClusterPublishFailed), "{message}", "Cluster messages that could not be published");

    /// <summary>1 while the connection to Redis is up, 0 while it is down or without a cluster.</summary>
    public static readonly ObservableGauge<int> RedisConnectedGauge = Meter.CreateObservableGauge(
        "signaling.cluster.redis.connected", () => Volatile.Read(ref RedisConnected), null, "Whether the Redis connection is up");
}
