using System.ComponentModel.DataAnnotations;
using Signaling.Server.Configuration;

namespace Signaling.Server.Hosting;

/// <summary>
/// A TURN server that shares a secret with this one (coturn's <c>use-auth-secret</c> and
/// <c>static-auth-secret</c>), bound from the <c>Turn</c> configuration section. When set, every
/// request for the page's configuration gets credentials of its own that expire after <see cref="Ttl"/>.
/// </summary>
public sealed class TurnOptions : IValidatableObject
{
    public const string Section = "Turn";

    /// <summary>The TURN server's URLs, e.g. <c>turn:turn.example.org:3478?transport=udp</c>; none means no TURN credentials.</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>The secret shared with the TURN server. Never logged, nor quoted in start-up errors.</summary>
    public string Secret { get; set; } = "";

    /// <summary>How long credentials handed out stay valid.</summary>
    [Duration("1m", "30d")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);

    public bool Enabled => Urls.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled && Secret.Length > 0)
        {
            // Named after Urls: an error about the secret would quote its value.
            yield return new ValidationResult("must name the TURN server (Turn:Urls:0=turn:HOST:PORT) when Turn:Secret is set", [nameof(Urls)]);
        }
        if (Enabled && Secret.Length == 0)
        {
            yield return new ValidationResult("must be the TURN server's static-auth-secret when Turn:Urls is set", [nameof(Secret)]);
        }
        for (var i = 0; i < Urls.Count; i++)
        {
            if (!(Urls[i].StartsWith("turn:", StringComparison.OrdinalIgnoreCase) || Urls[i].StartsWith("turns:", StringComparison.OrdinalIgnoreCase)))
            {
                yield return new ValidationResult("is not a TURN URL: use turn:HOST[:PORT] or turns:HOST[:PORT]", [$"{nameof(Urls)}:{i}"]);
            }
        }
    }
}
