using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Signaling.Server.Configuration;

namespace Signaling.Server.Hosting;

/// <summary>
/// Checks the whole configuration before the application is built, so that every mistake is
/// one line and nothing half-starts: keys under the program's sections that no options class
/// has (from any source: the command line is checked as it is parsed), values that do not read
/// as their type, framework settings, then each options class's own rules. Durations are
/// rewritten into the form the binder reads, so <c>25s</c> binds as 25 seconds.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>Binds and validates every section of <see cref="OptionsCatalog.Sections"/>; throws <see cref="StartupException"/> on any mistake.</summary>
    public static BoundOptions Run(ConfigurationManager configuration)
    {
        var unknown = ((IConfigurationRoot)configuration).Providers.SelectMany(UnknownKeys).ToList();
        if (unknown.Count > 0)
        {
            throw new StartupException(StartupException.UsageError, unknown);
        }

        var errors = new List<string>();
        var normalized = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is not { Length: > 0 } || !OptionsCatalog.Keys.TryFind(key, out var type, out var isSection))
            {
                continue;
            }
            if (isSection)
            {
                // The binder would ignore it: a list takes its items from child keys.
                errors.Add($"{key}={value} is a list or section: set its items, e.g. {Closest.Of(key + ":0", OptionsCatalog.Keys.ValueKeys())}=...");
            }
            else if (type is not null)
            {
                if (ValueCheck.Check(type, value, out var rewritten) is { } problem)
                {
                    errors.Add($"{key}={value} {problem}");
                }
                else if (rewritten is not null)
                {
                    normalized[key] = rewritten;
                }
            }
        }
        errors.AddRange(HostSettingsCheck.Check(configuration, normalized));
        Fail(errors);
        // Messages quote what the user wrote, not its rewritten form.
        var written = normalized.Keys.ToDictionary(key => key, key => configuration[key], StringComparer.OrdinalIgnoreCase);
        // Last, so above every source; each value is the one that source would have given.
        configuration.AddInMemoryCollection(normalized);

        var bound = new BoundOptions();
        foreach (var (section, type) in OptionsCatalog.Sections)
        {
            var options = configuration.GetSection(section).Get(type) ?? Activator.CreateInstance(type)!;
            errors.AddRange(OptionsValidation.Validate(options, section, key => written.TryGetValue(key, out var value) ? value : configuration[key]));
            bound.Add(type, options);
        }
        Fail(errors);
        return bound;
    }

    private static void Fail(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new StartupException(StartupException.StartFailure, errors);
        }
    }

    /// <summary>The keys of one source, under the program's sections, that no options class has; the topmost of each unknown branch.</summary>
    private static IEnumerable<string> UnknownKeys(IConfigurationProvider provider)
    {
        var pending = new Stack<string>(OptionsCatalog.Sections.Select(section => section.Section));
        while (pending.TryPop(out var parent))
        {
            foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var key = $"{parent}:{child}";
                if (!OptionsCatalog.Keys.TryFind(key, out _))
                {
                    yield return $"unknown option {key} {Describe(provider)}; {Closest.Hint("option", key, OptionsCatalog.Keys.ValueKeys(), name => name)}";
                }
                else
                {
                    pending.Push(key);
                }
            }
        }
    }

    private static string Describe(IConfigurationProvider provider) => provider switch
    {
        JsonConfigurationProvider json => $"in {json.Source.Path}",
        EnvironmentVariablesConfigurationProvider => "in the environment",
        CommandLineConfigurationProvider => "on the command line",
        _ => $"in {provider}",
    };
}
