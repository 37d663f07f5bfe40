using Microsoft.Extensions.Configuration;
using Serilog.Events;

namespace Signaling.Server.Hosting;

/// <summary>
/// The framework settings the program relies on, checked before start so that a mistake is one
/// line rather than the framework's exception: listen addresses, log levels, the HTTPS
/// certificate's files.
/// </summary>
internal static class HostSettingsCheck
{
    public const string CertificatePath = "Kestrel:Certificates:Default:Path";
    public const string CertificateKeyPath = "Kestrel:Certificates:Default:KeyPath";

    private const string MinimumLevel = "Serilog:MinimumLevel";

    /// <summary>What is wrong, one line each; relative certificate paths are made absolute in <paramref name="normalized"/>.</summary>
    public static IEnumerable<string> Check(IConfiguration configuration, IDictionary<string, string?> normalized)
    {
        foreach (var url in Urls(configuration))
        {
            if (ListenUrl.Check(url) is { } problem)
            {
                yield return $"urls={url} {problem}";
            }
        }
        foreach (var (key, level) in Levels(configuration))
        {
            if (!Enum.TryParse<LogEventLevel>(level, ignoreCase: true, out _) || level.All(char.IsAsciiDigit))
            {
                yield return $"{key}={level} is not a log level: use one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}";
            }
        }
        foreach (var key in new[] { CertificatePath, CertificateKeyPath })
        {
            if (configuration[key] is not { Length: > 0 } path)
            {
                continue;
            }
            if (Unreadable(path) is { } problem)
            {
                yield return $"{key}={path} {problem}";
            }
            // Kestrel would look for a relative path under the content root (the program's folder);
            // the user meant the working directory, as for the web root.
            normalized[key] = Path.GetFullPath(path);
        }
    }

    /// <summary>The listen addresses, as Kestrel splits them.</summary>
    public static IEnumerable<string> Urls(IConfiguration configuration) =>
        (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Serilog's minimum level: one value, or a default and overrides per category.</summary>
    private static IEnumerable<(string Key, string Level)> Levels(IConfiguration configuration)
    {
        var section = configuration.GetSection(MinimumLevel);
        if (section.Value is { } single)
        {
            yield return (MinimumLevel, single);
        }
        if (section["Default"] is { } level)
        {
            yield return ($"{MinimumLevel}:Default", level);
        }
        foreach (var category in section.GetSection("Override").GetChildren())
        {
            if (category.Value is { } value)
            {
                yield return (category.Path, value);
            }
        }
    }

    private static string? Unreadable(string path)
    {
        if (!File.Exists(path))
        {
            return "does not exist";
        }
        try
        {
            using var _ = File.OpenRead(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {e.Message}";
        }
    }
}
