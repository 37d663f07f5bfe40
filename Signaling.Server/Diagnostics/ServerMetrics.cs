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
}
