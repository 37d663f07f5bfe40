using Newtonsoft.Json.Linq;

namespace Signaling.Server.Signaling;

/// <summary>Turns whatever a client sent with <c>online</c> into a safe display name.</summary>
public static class DisplayName
{
    /// <summary>The most characters of a name; longer ones are cut.</summary>
    public const int MaxLength = 100;

    /// <summary>
    /// A string, or an object's <c>name</c> string, trimmed and cut to <see cref="MaxLength"/>;
    /// anything else, or nothing left after trimming, falls back to the socket id.
    /// </summary>
    public static string From(JToken? sent, string socketId)
    {
        var candidate = sent switch
        {
            JValue { Type: JTokenType.String } value => (string?)value,
            JObject obj when obj["name"] is JValue { Type: JTokenType.String } name => (string?)name,
            _ => null,
        };
        candidate = candidate?.Trim();
        if (string.IsNullOrEmpty(candidate))
        {
            return socketId;
        }
        if (candidate.Length > MaxLength)
        {
            // Never split a surrogate pair: a lone half would not survive JSON encoding intact.
            var cut = char.IsHighSurrogate(candidate[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
            candidate = candidate[..cut].TrimEnd();
        }
        return candidate;
    }
}
