namespace Signaling.Server.Hosting;

/// <summary>
/// A TURN server that shares a secret with this one (coturn's <c>use-auth-secret</c> and
/// <c>static-auth-secret</c>), bound from the <c>Turn</c> configuration section. When set, every
/// request for the page's configuration gets credentials of its own that expire after <see cref="Ttl"/>.
/// </summary>
public sealed class TurnOptions
{
    public const string Section = "Turn";

    /// <summary>The TURN server's URLs, e.g. <c>turn:turn.example.org:3478?transport=udp</c>; none means no TURN credentials.</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>The secret shared with the TURN server. Never logged.</summary>
    public string Secret { get; set; } = "";

    /// <summary>How long credentials handed out stay valid.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);

    public bool Enabled => Urls.Count > 0;

    /// <summary>The first problem with these options, or null when they can be used.</summary>
    public string? Problem()
    {
        if (!Enabled)
        {
            return string.IsNullOrEmpty(Secret) ? null : "Turn:Secret is set but Turn:Urls is empty: name the TURN server the secret is for.";
        }
        if (string.IsNullOrEmpty(Secret))
        {
            return "Turn:Urls is set but Turn:Secret is empty: set the TURN server's static-auth-secret.";
        }
        if (Urls.FirstOrDefault(u => !u.StartsWith("turn:", StringComparison.Ordinal) && !u.StartsWith("turns:", StringComparison.Ordinal)) is { } url)
        {
            return $"Turn:Urls has '{url}', which is not a turn: or turns: URL.";
        }
        return Ttl > TimeSpan.Zero ? null : $"Turn:Ttl must be positive (is {Ttl}).";
    }
}
