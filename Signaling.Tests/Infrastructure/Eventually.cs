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

    /// <summary>The first value <paramref name="read"/> gives that <paramref name="matches"/>, read every few ms, up to a limit (5 s by default).</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> matches, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(5));
        var value = await read();
        while (!matches(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
            value = await read();
        }

        Assert.That(matches(value), Is.True, $"{what}: last {value}");
        return value;
    }
}
