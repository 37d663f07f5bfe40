using System.ComponentModel.DataAnnotations;
using Newtonsoft.Json;

namespace Signaling.Server.Hosting;

/// <summary>One entry of RTCConfiguration.iceServers, as the page passes it to RTCPeerConnection.</summary>
public sealed class IceServerOptions : IValidatableObject
{
    private static readonly string[] Schemes = ["stun:", "turn:", "turns:"];

    [JsonProperty("urls")]
    public List<string> Urls { get; set; } = [];

    [JsonProperty("username", NullValueHandling = NullValueHandling.Ignore)]
    public string? Username { get; set; }

    [JsonProperty("credential", NullValueHandling = NullValueHandling.Ignore)]
    public string? Credential { get; set; }

    // The browser's RTCPeerConnection throws on what is refused here, so the page could make no call at all.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Urls.Count == 0)
        {
            yield return new ValidationResult("needs at least one URL (Urls:0=stun:HOST:PORT)", [nameof(Urls)]);
        }
        for (var i = 0; i < Urls.Count; i++)
        {
            var url = Urls[i];
            if (!Schemes.Any(scheme => url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && url.Length > scheme.Length))
            {
                yield return new ValidationResult("is not an ICE server URL: use stun:HOST[:PORT], turn:HOST[:PORT] or turns:HOST[:PORT]", [$"{nameof(Urls)}:{i}"]);
            }
            else if (!url.StartsWith("stun:", StringComparison.OrdinalIgnoreCase) && (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Credential)))
            {
                yield return new ValidationResult("is a TURN server: it needs a Username and a Credential", [$"{nameof(Urls)}:{i}"]);
            }
        }
    }
}
