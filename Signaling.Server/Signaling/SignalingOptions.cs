using Signaling.Server.Configuration;

namespace Signaling.Server.Signaling;

/// <summary>Options of the relay, bound from the <c>Signaling</c> configuration section.</summary>
public sealed class SignalingOptions
{
    /// <summary>The configuration section it binds from.</summary>
    public const string Section = "Signaling";

    /// <summary>
    /// Presence changes within this window are announced as one list. When a thousand users
    /// arrive at once, announcing every change would send a million lists; a few milliseconds
    /// of coalescing sends a handful. Zero announces each change at once.
    /// </summary>
    [Duration("0", "1m")]
    public TimeSpan PresenceCoalescing { get; set; } = TimeSpan.FromMilliseconds(5);
}
