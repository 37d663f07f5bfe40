using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.Hosting;

/// <summary>
/// Prometheus text at <c>/metrics</c>, exported by OpenTelemetry from the <see cref="ServerMetrics"/>
/// meter only (ASP.NET's and Kestrel's meters stay off: they would count every request and connection).
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void Add(IServiceCollection services, MetricsOptions options)
    {
        ServerMetrics.Initialize();
        if (!options.Enabled)
        {
            return;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServerMetrics.MeterName))
            .WithMetrics(metrics => metrics.AddMeter(ServerMetrics.MeterName).AddPrometheusExporter());
    }

    public static void Map(WebApplication app, MetricsOptions options)
    {
        if (options.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(Path);
        }
    }
}
