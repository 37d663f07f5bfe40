using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Signaling.Server.Hosting;

/// <summary>
/// Ready once the host has started (Kestrel listens) and until stopping begins: from the SIGTERM
/// on, while <see cref="SocketIo.GracefulShutdown"/> closes the clients, a load balancer sees the server
/// as not ready and sends no new ones.
/// </summary>
internal sealed class ListeningCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Name = "listening";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("draining")
            : lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Healthy("listening")
            : HealthCheckResult.Unhealthy("starting"));
}
