using Signaling.Protocol.EngineIo;

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

    public static void SamePackets(IReadOnlyList<EnginePacket> expected, IReadOnlyList<EnginePacket> actual, string what)
    {
        That(expected.Count == actual.Count, $"{what}: {actual.Count} packets instead of {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            EnginePacket want = expected[i];
            EnginePacket got = actual[i];
            That(want.Type == got.Type && want.IsBinary == got.IsBinary, $"{what} [{i}]: {got.Type} (binary: {got.IsBinary}) instead of {want.Type} (binary: {want.IsBinary})");
            if (want.IsBinary)
            {
                That(want.Binary.Span.SequenceEqual(got.Binary.Span), $"{what} [{i}]: binary data differs");
            }
            else
            {
                Equal(want.Text ?? "", got.Text, $"{what} [{i}]: text");
            }
        }
    }

    private static string Shorten(string? text) =>
        text is null ? "null" : text.Length <= 120 ? $"\"{text}\"" : $"\"{text[..120]}...\" ({text.Length} chars)";
}
