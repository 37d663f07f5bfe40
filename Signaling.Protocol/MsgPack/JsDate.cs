namespace Signaling.Protocol.MsgPack;

/// <summary>
/// JavaScript Dates as .NET sees them: whole milliseconds since the Unix epoch, in UTC. Sub-millisecond
/// ticks are dropped toward the past, as a Date cannot hold them.
/// </summary>
internal static class JsDate
{
    private const long TicksPerMillisecond = TimeSpan.TicksPerMillisecond;

    public static long ToUnixMilliseconds(DateTime date)
    {
        DateTime utc = date.Kind == DateTimeKind.Local ? date.ToUniversalTime() : date;
        return Math.DivRem(utc.Ticks - DateTime.UnixEpoch.Ticks, TicksPerMillisecond, out long rest) - (rest < 0 ? 1 : 0);
    }

    /// <summary>The UTC DateTime of a time value, or null outside the years 1 to 9999 .NET can hold.</summary>
    public static DateTime? FromUnixMilliseconds(double milliseconds)
    {
        // JavaScript's TimeClip: truncation toward zero.
        double whole = Math.Truncate(milliseconds);
        const double min = (0 - 62135596800000.0); // 0001-01-01T00:00:00Z
        const double max = 253402300799999.0;      // 9999-12-31T23:59:59.999Z
        if (!(whole >= min && whole <= max))
        {
            return null;
        }

        return new DateTime(DateTime.UnixEpoch.Ticks + (long)whole * TicksPerMillisecond, DateTimeKind.Utc);
    }
}
