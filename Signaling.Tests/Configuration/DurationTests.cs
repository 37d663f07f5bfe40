using Signaling.Server.Configuration;

namespace Signaling.Tests.Configuration;

public sealed class DurationTests
{
    [TestCase("500ms", 500)]
    [TestCase("25s", 25_000)]
    [TestCase("1.5s", 1_500)]
    [TestCase("2m", 120_000)]
    [TestCase("1h", 3_600_000)]
    [TestCase("1d", 86_400_000)]
    [TestCase("00:00:25", 25_000)]
    [TestCase("00:00:00.005", 5)]
    [TestCase("1.00:00:00", 86_400_000)]
    [TestCase("0", 0)]
    public void Units_and_clock_forms_are_read(string text, double milliseconds)
    {
        Assert.That(Duration.TryParse(text, out var duration), Is.True);
        Assert.That(duration.TotalMilliseconds, Is.EqualTo(milliseconds));
    }

    // 25 and 00:25 are what TimeSpan.Parse reads as 25 days and 25 minutes.
    [TestCase("25")]
    [TestCase("00:25")]
    [TestCase("banana")]
    [TestCase("-5s")]
    [TestCase("5 s")]
    [TestCase("5sec")]
    [TestCase("99999999999999d")]
    public void Ambiguous_or_malformed_forms_are_refused(string text) =>
        Assert.That(Duration.TryParse(text, out _), Is.False);
}
