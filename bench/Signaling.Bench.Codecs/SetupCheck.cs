namespace Signaling.Bench.Codecs;

/// <summary>
/// The checks each benchmark runs once on its input before measuring, so a broken codec stops the
/// run with a reason instead of producing a fast, meaningless number.
/// </summary>
internal static class SetupCheck
{
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark set-up check failed: {what}");
        }
    }

    public static void Equal(string expected, string? actual, string what) =>
        That(expected == actual, $"{what}: expected {Shorten(expected)} but got {Shorten(actual)}");

    private static string Shorten(string? text) =>
        text is null ? "null" : text.Length <= 120 ? $"\"{text}\"" : $"\"{text[..120]}...\" ({text.Length} chars)";
}
