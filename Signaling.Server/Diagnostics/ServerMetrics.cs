using System.Diagnostics.Metrics;
using Signaling.Server.Signaling;

namespace Signaling.Server.Diagnostics;

/// <summary>
/// The server's instruments, on one process-wide <see cref="Meter"/> that the Prometheus exporter
/// and <c>dotnet-counters</c> both listen to by its name. Counts that change on every message are
/// kept as plain fields and read when scraped (an <c>Add</c> per message would be paid on the hot
/// path); the rarer ones are counters.
/// </summary>
internal static class ServerMetrics
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

    // Connections and traffic (the metrics work). The per-message counts are ThreadCounts fields,
    // summed when a listener (the /metrics scrape, dotnet-counters) reads them.

    /// <summary>Open Engine.IO connections; tags <c>transport</c> (moves on upgrade) and <c>engineio.version</c>.</summary>
    public static readonly ObservableUpDownCounter<long> Connections =
        Meter.CreateObservableUpDownCounter("signaling.connections", ConnectionCounts.ReadOpen, "{connection}", "Open Engine.IO connections");

    /// <summary>Engine.IO handshakes (connections opened), tagged as <see cref="Connections"/> with the transport they opened on.</summary>
    public static readonly ObservableCounter<long> Handshakes =
        Meter.CreateObservableCounter("signaling.handshakes", ConnectionCounts.ReadOpened, "{connection}", "Engine.IO handshakes");

    /// <summary>Engine.IO connections closed; tag <c>reason</c> (<c>transport close</c>, <c>ping timeout</c>, ...).</summary>
    public static readonly Counter<long> Disconnects =
        Meter.CreateCounter<long>("signaling.disconnects", "{connection}", "Engine.IO connections closed, by reason");

    public static readonly ObservableCounter<long> BytesReceived =
        Meter.CreateObservableCounter("signaling.received", static () => ThreadCounts.Sum(static c => c.BytesReceived), "By", "Engine.IO payload bytes received from clients");

    public static readonly ObservableCounter<long> BytesSent =
        Meter.CreateObservableCounter("signaling.sent", static () => ThreadCounts.Sum(static c => c.BytesSent), "By", "Engine.IO payload bytes sent to clients");

    public static readonly ObservableCounter<long> EventsReceived =
        Meter.CreateObservableCounter("signaling.events.received", static () => ThreadCounts.Sum(static c => c.EventsReceived), "{event}", "Socket.IO events received from clients");

    public static readonly ObservableCounter<long> EventsSent =
        Meter.CreateObservableCounter("signaling.events.sent", static () => ThreadCounts.Sum(static c => c.EventsSent), "{event}", "Socket.IO events sent to clients, one per recipient");

    /// <summary>Events relayed to their target; tag <c>event</c> (<c>offer</c>, <c>candidate</c>, ...).</summary>
    public static readonly ObservableCounter<long> Relayed =
        Meter.CreateObservableCounter("signaling.relayed", ReadRelayed, "{event}", "Signaling events relayed to their target, by event");

    /// <summary>Relayed events whose target is not connected.</summary>
    public static readonly Counter<long> UnknownTargets =
        Meter.CreateCounter<long>("signaling.unknown_targets", "{event}", "Signaling events for a target that is not connected");

    /// <summary>Users on the presence list (sent <c>online</c> and still connected).</summary>
    public static readonly ObservableUpDownCounter<long> PresenceUsers =
        Meter.CreateObservableUpDownCounter("signaling.presence.users", static () => Volatile.Read(ref s_presenceUsers), "{user}", "Users on the presence list");

    private static long s_presenceUsers;

    /// <summary>
    /// Creates the instruments now rather than on the first use of this class, so that a listener
    /// (the exporter, dotnet-counters) sees every one from the start, at zero.
    /// </summary>
    public static void Initialize() => GC.KeepAlive(Meter);

    /// <summary>The presence list grew (+1) or shrank (-1).</summary>
    internal static void AddPresenceUsers(long delta) => Interlocked.Add(ref s_presenceUsers, delta);

    /// <summary>The presence list a cluster node gathered from every node has this many users.</summary>
    internal static void SetPresenceUsers(long count) => Volatile.Write(ref s_presenceUsers, count);

    private static IEnumerable<Measurement<long>> ReadRelayed()
    {
        var measurements = new Measurement<long>[SignalingEvents.Relayed.Count];
        for (var i = 0; i < measurements.Length; i++)
        {
            var index = i;
            measurements[i] = new Measurement<long>(
                ThreadCounts.Sum(c => c.Relayed[index]),
                new KeyValuePair<string, object?>("event", SignalingEvents.Relayed[i]));
        }
        return measurements;
    }

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
