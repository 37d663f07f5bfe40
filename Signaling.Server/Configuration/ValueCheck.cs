using System.ComponentModel;
using System.Globalization;

namespace Signaling.Server.Configuration;

/// <summary>
/// Reads one configured string as the type its key binds to, as the configuration binder would,
/// but with a message instead of an exception, and with <see cref="Duration"/>'s forms for
/// <see cref="TimeSpan"/> (which the binder would read as <c>TimeSpan.Parse</c> does).
/// </summary>
internal static class ValueCheck
{
    /// <summary>
    /// Null when <paramref name="value"/> is a valid <paramref name="type"/>, else what is wrong;
    /// <paramref name="normalized"/> is the value to bind in its place when it must be rewritten
    /// (a duration, as TimeSpan's constant format), else null.
    /// </summary>
    public static string? Check(Type type, string value, out string? normalized)
    {
        normalized = null;
        if (type == typeof(string))
        {
            return null;
        }
        if (type == typeof(TimeSpan))
        {
            if (!Duration.TryParse(value, out var duration))
            {
                return $"is not a duration: use {Duration.Forms}";
            }
            normalized = duration.ToString("c", CultureInfo.InvariantCulture);
            return null;
        }
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return type switch
            {
                _ when type == typeof(bool) => "is not true or false",
                _ when type.IsEnum => $"is not one of {string.Join(", ", Enum.GetNames(type))}",
                _ when type == typeof(int) || type == typeof(long) => "is not a whole number",
                _ when type == typeof(double) => "is not a number",
                _ => $"is not a valid {type.Name}",
            };
        }
    }
}
