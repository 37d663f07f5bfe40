using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Formatting.Compact;

namespace Signaling.Server.Hosting;

/// <summary>Serilog from configuration: levels from the <c>Serilog</c> section, one console sink, text or JSON lines.</summary>
internal static class LogSetup
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static void Configure(LoggerConfiguration logger, IConfiguration configuration, bool json)
    {
        logger.ReadFrom.Configuration(configuration).Enrich.FromLogContext();
        if (json)
        {
            logger.WriteTo.Console(new CompactJsonFormatter());
        }
        else
        {
            logger.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
