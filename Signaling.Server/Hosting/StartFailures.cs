using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Serilog.Events;

namespace Signaling.Server.Hosting;

/// <summary>
/// Starts the application and turns what stops it from starting (an address in use, a
/// certificate Kestrel cannot load, an options class's ValidateOnStart rule) into a
/// <see cref="StartupException"/>: one line each, the stack trace only when the log level is
/// Debug or Verbose.
/// </summary>
internal static class StartFailures
{
    public static async Task StartAsync(WebApplication app)
    {
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var errors = Describe(e, app.Configuration).ToList();
            if (ShowsDetails(app.Configuration))
            {
                errors.Add(e.ToString());
            }
            throw new StartupException(StartupException.StartFailure, errors);
        }
    }

    private static IEnumerable<string> Describe(Exception e, IConfiguration configuration) => e switch
    {
        OptionsValidationException validation => validation.Failures.Select(OneLine),
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(inner => Describe(inner, configuration)),
        // Kestrel's own words name neither the file nor the setting.
        CryptographicException => [OneLine($"{HostSettingsCheck.CertificatePath}={configuration[HostSettingsCheck.CertificatePath]} cannot be loaded: {e.Message}")],
        // "Error getting private key from '…'", with the reason (a key of another certificate) inside.
        InvalidOperationException { InnerException: ArgumentException or CryptographicException } => [OneLine($"{e.Message} {e.InnerException.Message}")],
        InvalidOperationException when e.Message.StartsWith(NoCertificate, StringComparison.Ordinal) =>
            [$"an https:// address needs a certificate: set {HostSettingsCheck.CertificatePath} and {HostSettingsCheck.CertificateKeyPath} (PEM files; README, 'HTTPS')"],
        _ => [OneLine(e.Message)],
    };

    // Kestrel's words when https:// has neither a configured nor a developer certificate.
    private const string NoCertificate = "Unable to configure HTTPS endpoint. No server certificate was specified";

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool ShowsDetails(IConfiguration configuration) =>
        Enum.TryParse<LogEventLevel>(configuration["Serilog:MinimumLevel:Default"], ignoreCase: true, out var level) && level <= LogEventLevel.Debug;
}
