using System.Buffers;

namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// Writes JSON strings as JavaScript's <c>JSON.stringify</c> does (ECMAScript QuoteJSONString): only
/// <c>"</c>, <c>\</c>, control characters and lone surrogates are escaped, in lowercase hex. Lone
/// surrogates must be escaped, or the UTF-8 transports would turn them into U+FFFD; matching
/// JavaScript keeps relayed text unchanged.
/// </summary>
internal static class JsString
{
    // Searched apart from the surrogates: an ASCII set is vectorised, a set with the surrogate range is not.
    private static readonly SearchValues<char> AsciiSpecials = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    /// <summary>Writes <paramref name="value"/> with its quotes.</summary>
    public static void Write(TextWriter writer, ReadOnlySpan<char> value)
    {
        writer.Write('"');
        // Next positions of each kind of character to look at, each searched again only once passed,
        // so the whole string is scanned a bounded number of times.
        int nextSpecial = Next(value, 0, surrogates: false);
        int nextSurrogate = Next(value, 0, surrogates: true);
        int pos = 0;
        while (true)
        {
            int stop = Math.Min(nextSpecial, nextSurrogate);
            if (stop == int.MaxValue)
            {
                writer.Write(value[pos..]);
                break;
            }

            writer.Write(value[pos..stop]);
            char c = value[stop];
            pos = stop + 1;
            if (char.IsHighSurrogate(c) && pos < value.Length && char.IsLowSurrogate(value[pos]))
            {
                // A proper pair is written as it is.
                writer.Write(value.Slice(stop, 2));
                pos++;
            }
            else
            {
                WriteEscape(writer, c);
            }

            if (nextSpecial < pos)
            {
                nextSpecial = Next(value, pos, surrogates: false);
            }

            if (nextSurrogate < pos)
            {
                nextSurrogate = Next(value, pos, surrogates: true);
            }
        }

        writer.Write('"');
    }

    /// <summary>Whether any character of <paramref name="value"/> may need an escape.</summary>
    public static bool NeedsEscaping(ReadOnlySpan<char> value) =>
        value.IndexOfAny(AsciiSpecials) >= 0 || value.IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    /// <summary><paramref name="value"/> as a quoted JSON string.</summary>
    public static string Quote(string value)
    {
        if (!NeedsEscaping(value))
        {
            return string.Concat("\"", value, "\"");
        }

        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(writer, value);
        return writer.ToString();
    }

    private static int Next(ReadOnlySpan<char> value, int from, bool surrogates)
    {
        ReadOnlySpan<char> rest = value[from..];
        int found = surrogates ? rest.IndexOfAnyInRange('\uD800', '\uDFFF') : rest.IndexOfAny(AsciiSpecials);
        return found < 0 ? int.MaxValue : from + found;
    }

    private static void WriteEscape(TextWriter writer, char c)
    {
        switch (c)
        {
            case '"': writer.Write("\\\""); break;
            case '\\': writer.Write("\\\\"); break;
            case '\b': writer.Write("\\b"); break;
            case '\f': writer.Write("\\f"); break;
            case '\n': writer.Write("\\n"); break;
            case '\r': writer.Write("\\r"); break;
            case '\t': writer.Write("\\t"); break;
            default:
                Span<char> escape = ['\\', 'u', '0', '0', '0', '0'];
                ((int)c).TryFormat(escape[2..], out _, "x4", System.Globalization.CultureInfo.InvariantCulture);
                writer.Write(escape);
                break;
        }
    }
}
