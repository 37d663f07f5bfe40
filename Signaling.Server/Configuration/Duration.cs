using System.Globalization;
using System.Text.RegularExpressions;

namespace Signaling.Server.Configuration;

/// <summary>
/// How durations are written in the configuration: a number with a unit (<c>500ms</c>,
/// <c>25s</c>, <c>1.5m</c>, <c>2h</c>, <c>1d</c>), <c>[d.]hh:mm:ss[.fffffff]</c>
/// (<c>00:00:25</c>), or <c>0</c>. The binder's own TimeSpan parsing reads a bare <c>25</c> as
/// 25 days and <c>00:25</c> as 25 minutes, so both are refused.
/// </summary>
internal static partial class Duration
{
    public const string Forms = "a number with a unit (500ms, 25s, 2m, 1h, 1d) or hh:mm:ss (00:00:25)";

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (text == "0")
        {
            return true;
        }
        if (ClockForm().IsMatch(text))
        {
            return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration);
        }
        if (UnitForm().Match(text) is not { Success: true } match
            || !double.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        var milliseconds = number * match.Groups["unit"].Value switch
        {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => 86_400_000,
        };
        if (milliseconds > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }
        duration = TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond));
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration) ? duration : throw new FormatException($"'{text}' is not {Forms}.");

    [GeneratedRegex(@"^(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d{1,7})?$")]
    private static partial Regex ClockForm();

    [GeneratedRegex(@"^(?<number>\d+(\.\d+)?)(?<unit>ms|s|m|h|d)$")]
    private static partial Regex UnitForm();
}
