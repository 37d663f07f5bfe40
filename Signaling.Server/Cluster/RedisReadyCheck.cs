using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Signaling.Server.Cluster;

/// <summary>
/// Ready while the node is on Redis: without it the node still serves its own clients, but they
/// see nobody on the other nodes, so a load balancer should send new clients elsewhere until it is back.
/// Reads the connection's state, never waits on Redis.
/// </summary>
internal sealed class RedisReadyCheck(RedisConnection redis) : IHealthCheck
{
    public const string Name = "redis";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy("connected")
            : HealthCheckResult.Unhealthy("disconnected: no cluster traffic, reconnecting"));
}
