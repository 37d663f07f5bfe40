using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Signaling.Server.Hosting;

/// <summary>Serilog from configuration: levels from the <c>Serilog</c> section, one console sink, text or JSON lines.</summary>
internal static class LogSetup
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    private const int StartupFaultedEventId = 11;

    private const string TextTemplate = "[{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static void Configure(LoggerConfiguration logger, IConfiguration configuration, bool json)
    {
        logger.ReadFrom.Configuration(configuration).Enrich.FromLogContext();
        // ASP.NET Core's hosting diagnostics start an Activity and a logging scope for every request
        // whenever their category is enabled at any level, and a WebSocket keeps its upgrade request
        // (so both) for its whole life: ~0.5 KB per idle connection. The category only logs request
        // start and end at Information, which the configuration above turns off anyway.
        logger.MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LevelAlias.Off);
        // The program reports a failed start itself, in one line (StartFailures).
        logger.Filter.ByExcluding(IsStartFailure);
        if (json)
        {
            logger.WriteTo.Console(new CompactJsonFormatter());
        }
        else
        {
            logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The host's "Hosting failed to start" (HostedServiceStartupFaulted), with the exception's whole stack.</summary>
    private static bool IsStartFailure(LogEvent e) =>
        e.Level == LogEventLevel.Error
        && e.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: HostCategory }
        && e.Properties.TryGetValue("EventId", out var id) && id is StructureValue eventId
        && eventId.Properties.Any(p => p is { Name: "Id", Value: ScalarValue { Value: StartupFaultedEventId } });
}
