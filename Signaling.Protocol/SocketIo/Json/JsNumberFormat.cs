using System.Globalization;

namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// Writes doubles the way JavaScript's <c>JSON.stringify</c> does (ECMAScript Number::toString:
/// shortest round-trip digits, exponent only below 1e-6 or from 1e21, as <c>1e-7</c> / <c>1.5e+21</c>),
/// so a payload a JavaScript client sent comes out of decode and encode with the same text.
/// One deliberate difference: an integral value written in plain digits keeps a <c>.0</c>, because
/// JavaScript would have written it without one and so it came from elsewhere (<c>1.0</c> stays <c>1.0</c>).
/// </summary>
internal static class JsNumberFormat
{
    /// <summary>
    /// JavaScript's <c>String(value)</c>, without the kept <c>.0</c> of <see cref="Format"/>: a number used as a
    /// property name or room name (<c>1</c>, <c>1.5</c>, <c>1e+21</c>, <c>NaN</c>).
    /// </summary>
    public static string ToJsString(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        string text = Format(value);
        return text.EndsWith(".0", StringComparison.Ordinal) ? text[..^2] : text;
    }

    /// <summary>The JSON text of a finite double.</summary>
    public static string Format(double value)
    {
        if (value == 0)
        {
            // Integral, so it keeps ".0" like any other; the sign of -0 is kept too.
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // .NET's round-trip format gives the same shortest digits as JavaScript, laid out differently:
        // "1E-07", "1.2345E+21", "123.456", "0.001".
        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = shortest.IndexOf('E', StringComparison.Ordinal);
        ReadOnlySpan<char> mantissa = e < 0 ? shortest : shortest.AsSpan(0, e);
        int exponent = e < 0 ? 0 : int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.');
        Span<char> digits = stackalloc char[mantissa.Length];
        int count = 0;
        foreach (char c in mantissa)
        {
            if (c != '.')
            {
                digits[count++] = c;
            }
        }

        // value = 0.d1d2...dk × 10^n, with no leading or trailing zeros in d.
        int n = (point < 0 ? mantissa.Length : point) + exponent;
        int leading = 0;
        while (digits[leading] == '0')
        {
            leading++;
        }

        n -= leading;
        ReadOnlySpan<char> s = digits[leading..count].TrimEnd('0');
        int k = s.Length;

        var text = new System.Text.StringBuilder(k + 10);
        if (value < 0)
        {
            text.Append('-');
        }

        if (k <= n && n <= 21)
        {
            text.Append(s).Append('0', n - k).Append(".0");
        }
        else if (0 < n && n <= 21)
        {
            text.Append(s[..n]).Append('.').Append(s[n..]);
        }
        else if (-6 < n && n <= 0)
        {
            text.Append("0.").Append('0', -n).Append(s);
        }
        else
        {
            text.Append(s[0]);
            if (k > 1)
            {
                text.Append('.').Append(s[1..]);
            }

            text.Append('e').Append(n - 1 >= 0 ? '+' : '-').Append(Math.Abs(n - 1));
        }

        return text.ToString();
    }
}
