using System.Globalization;
using System.Text.RegularExpressions;

namespace Signaling.Server.Hosting;

/// <summary>
/// Checks a listen address before Kestrel parses it: Kestrel reads <c>garbage</c> or
/// <c>http://127.0.0.1:notaport</c> as "every interface, port 80" rather than refusing it.
/// </summary>
internal static partial class ListenUrl
{
    public const string Forms = "use http://HOST:PORT or https://HOST:PORT, e.g. http://0.0.0.0:3000 (several separated by ;)";

    /// <summary>Null when <paramref name="url"/> is one Kestrel reads as written, else what is wrong with it.</summary>
    public static string? Check(string url)
    {
        if (UnixSocket().IsMatch(url))
        {
            return null;
        }
        if (HostAndPort().Match(url) is not { Success: true } match)
        {
            return $"is not a listen address: {Forms}";
        }
        if (match.Groups["port"].Success && int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture) > 65535)
        {
            return "has a port above 65535";
        }
        return null;
    }

    public static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+|\*|\+)(:(?<port>\d{1,5}))?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex HostAndPort();

    [GeneratedRegex(@"^https?://unix:/\S+$", RegexOptions.IgnoreCase)]
    private static partial Regex UnixSocket();
}
