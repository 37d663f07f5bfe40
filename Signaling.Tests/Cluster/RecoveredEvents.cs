using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Cluster;

/// <summary>Events a 4.x client of the relay gets from another node: they carry a recovery offset too (docs/SIGNALING.md, "Reconnecting").</summary>
internal static class RecoveredEvents
{
    /// <summary>The arguments before the offset, once the last one is checked to be an offset (a decimal string).</summary>
    public static JArray WithoutOffset(JArray args)
    {
        Assert.That(args, Is.Not.Empty);
        Assert.That(args[^1] is JValue { Type: JTokenType.String } last && ((string)last!).Length > 0 && ((string)last!).All(char.IsAsciiDigit), Is.True, $"an offset ends {args}");
        return new JArray(args.Take(args.Count - 1));
    }
}
