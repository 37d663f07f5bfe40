using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Signaling.Server.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Binds an options class from its configuration section as the standalone server reads it
/// (durations such as <c>25s</c>, unknown keys and unreadable values named in one line each
/// instead of the binder's exception) and checks its rules at start.
/// </summary>
internal sealed class SectionOptions<T>(IConfiguration configuration, OptionsSection<T> section) : IConfigureOptions<T>, IValidateOptions<T>
    where T : class
{
    public void Configure(T options)
    {
        var (problems, rewritten) = Read();
        if (problems.Count > 0)
        {
            // Validate names them at start; the binder would only throw on the first.
            return;
        }
        var source = rewritten.Count == 0 ? configuration : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(rewritten).Build();
        source.GetSection(section.Name).Bind(options);
    }

    public ValidateOptionsResult Validate(string? name, T options)
    {
        if (name is not null && name != Options.Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }
        var (problems, _) = Read();
        if (problems.Count == 0)
        {
            problems.AddRange(OptionsValidation.Validate(options, section.Name, key => configuration[key]));
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private (List<string> Problems, Dictionary<string, string?> Rewritten) Read()
    {
        var keys = new ConfigurationKeys();
        keys.AddOptions(section.Name, typeof(T));
        var problems = new List<string>();
        var rewritten = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.GetSection(section.Name).AsEnumerable())
        {
            if (!keys.TryFind(key, out var type))
            {
                problems.Add($"unknown option {key}; {Closest.Hint("option", key, keys.ValueKeys(), option => option)}");
            }
            else if (value is { Length: > 0 } && type is not null)
            {
                if (ValueCheck.Check(type, value, out var normalized) is { } problem)
                {
                    problems.Add($"{key}={value} {problem}");
                }
                else if (normalized is not null)
                {
                    rewritten[key] = normalized;
                }
            }
        }
        return (problems, rewritten);
    }
}
