namespace Signaling.Tests.Infrastructure;

/// <summary>For state that has no event to await (a count on the server side): looked at every few ms, up to a limit.</summary>
internal static class Eventually
{
    public static async Task AssertAsync(Func<bool> condition, string what, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.That(condition(), Is.True, what);
    }
}
