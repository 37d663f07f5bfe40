using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.Hosting;

/// <summary>
/// <c>/healthz</c> (alive: 200 while the process answers) and <c>/readyz</c> (200 when every check
/// tagged <see cref="HealthTags.Ready"/> passes, else 503), through ASP.NET Core's health checks.
/// </summary>
internal static class HealthEndpoints
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";

    public static void Add(IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<ListeningCheck>(ListeningCheck.Name, tags: [HealthTags.Ready]);

    public static void Map(WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = static _ => false });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = static check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = WriteReportAsync,
        });
    }

    /// <summary>The overall status, then one line per check: an operator sees which one failed, and why.</summary>
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder().Append(report.Status).Append('\n');
        foreach (var (name, entry) in report.Entries)
        {
            text.Append(name).Append(": ").Append(entry.Status);
            if (entry.Description is { Length: > 0 } description)
            {
                text.Append(" (").Append(description).Append(')');
            }
            text.Append('\n');
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }
}
