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
    private static readonly SearchValues<char> Specials = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        string.Create(0xE000 - 0xD800, 0, static (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)(0xD800 + i);
            }
        }));

    /// <summary>Writes <paramref name="value"/> with its quotes.</summary>
    public static void Write(TextWriter writer, ReadOnlySpan<char> value)
    {
        writer.Write('"');
        while (true)
        {
            int special = value.IndexOfAny(Specials);
            if (special < 0)
            {
                writer.Write(value);
                break;
            }

            writer.Write(value[..special]);
            char c = value[special];
            if (char.IsHighSurrogate(c) && special + 1 < value.Length && char.IsLowSurrogate(value[special + 1]))
            {
                // A proper pair is written as it is.
                writer.Write(value.Slice(special, 2));
                value = value[(special + 2)..];
                continue;
            }

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

            value = value[(special + 1)..];
        }

        writer.Write('"');
    }

    /// <summary>Whether any character of <paramref name="value"/> may need an escape.</summary>
    public static bool NeedsEscaping(ReadOnlySpan<char> value) => value.IndexOfAny(Specials) >= 0;

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
}
