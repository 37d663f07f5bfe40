using System.Globalization;

namespace Signaling.LoadGen;

/// <summary>
/// <c>command --name value ...</c>. Every option given must be read by the command, so a typo
/// fails the run instead of silently measuring the default.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public CommandLine(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("missing command");
        }

        Command = args[0];
        for (var index = 1; index < args.Length; index += 2)
        {
            if (!args[index].StartsWith("--", StringComparison.Ordinal) || index + 1 == args.Length)
            {
                throw new ArgumentException($"expected --name value, got '{args[index]}'");
            }

            _values[args[index][2..]] = args[index + 1];
        }
    }

    public string Command { get; }

    public string? String(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public int Int(string name, int fallback) =>
        String(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        String(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Throws when an option was given that nothing read.</summary>
    public void EnsureAllRead()
    {
        var unknown = _values.Keys.Where(name => !_read.Contains(name)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"unknown option(s) for '{Command}': {string.Join(", ", unknown.Select(name => "--" + name))}");
        }
    }
}
