using System.Buffers;

namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// A strict RFC 8259 scanner. Newtonsoft's reader is lenient (comments, single quotes, unquoted
/// names, NaN, constructors) and would let a peer relay non-JSON to other clients, so payloads are
/// read here instead. The scan is iterative with an explicit depth limit: no input can overflow the
/// stack, and every character is looked at a bounded number of times.
/// </summary>
internal static class StrictJson
{
    /// <summary>
    /// Longest number accepted. JavaScript never writes more than about 25 characters for a number;
    /// the cap keeps a megabyte of digits from costing quadratic big-integer parsing.
    /// </summary>
    public const int MaxNumberLength = 400;

    // Inside a string these end a run of plain characters: the closing quote, an escape, or a
    // control character that JSON forbids unescaped.
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    /// <summary>Reads <paramref name="text"/> from <paramref name="start"/> to its end as one JSON value.</summary>
    public static void ParseDocument<TSink>(string text, int start, int maxDepth, ref TSink sink)
        where TSink : struct, IJsonSink
    {
        int pos = SkipWhitespace(text, start);
        pos = ParseValue(text, pos, maxDepth, ref sink);
        pos = SkipWhitespace(text, pos);
        if (pos != text.Length)
        {
            throw Error("unexpected text after the JSON value", pos);
        }
    }

    /// <summary>
    /// Reads one JSON value that starts exactly at <paramref name="pos"/> and returns the offset just
    /// after it. Arrays and objects may nest at most <paramref name="maxDepth"/> levels.
    /// </summary>
    public static int ParseValue<TSink>(string text, int pos, int maxDepth, ref TSink sink)
        where TSink : struct, IJsonSink
    {
        // Whether each open level is an object (true) or an array; the depth limit bounds it.
        Span<bool> isObject = maxDepth <= 256 ? stackalloc bool[maxDepth] : new bool[maxDepth];
        int depth = 0;
        while (true)
        {
            if (pos >= text.Length)
            {
                throw Error("unexpected end", pos);
            }

            char c = text[pos];
            switch (c)
            {
                case '[':
                case '{':
                    if (depth == maxDepth)
                    {
                        throw Error($"nested deeper than {maxDepth} levels", pos);
                    }

                    bool opensObject = c == '{';
                    isObject[depth++] = opensObject;
                    if (opensObject)
                    {
                        sink.StartObject();
                    }
                    else
                    {
                        sink.StartArray();
                    }

                    pos = SkipWhitespace(text, pos + 1);
                    if (pos < text.Length && text[pos] == (opensObject ? '}' : ']'))
                    {
                        pos++;
                        depth--;
                        EndContainer(opensObject, ref sink);
                        break;
                    }

                    if (opensObject)
                    {
                        pos = ParseMemberName(text, pos, ref sink);
                    }

                    continue;
                case '"':
                    int stringStart = pos;
                    pos = ScanString(text, pos, out bool escaped);
                    sink.String(text.AsSpan(stringStart + 1, pos - stringStart - 2), escaped);
                    break;
                case 't':
                    pos = ScanLiteral(text, pos, "true");
                    sink.Literal(JsonLiteral.True);
                    break;
                case 'f':
                    pos = ScanLiteral(text, pos, "false");
                    sink.Literal(JsonLiteral.False);
                    break;
                case 'n':
                    pos = ScanLiteral(text, pos, "null");
                    sink.Literal(JsonLiteral.Null);
                    break;
                default:
                    if (c != '-' && !char.IsAsciiDigit(c))
                    {
                        throw Error($"unexpected character {Describe(c)}", pos);
                    }

                    int numberStart = pos;
                    pos = ScanNumber(text, pos, out bool integer);
                    sink.Number(text.AsSpan(numberStart, pos - numberStart), integer);
                    break;
            }

            // A value is complete: close finished containers until the next element or the end.
            while (true)
            {
                if (depth == 0)
                {
                    return pos;
                }

                pos = SkipWhitespace(text, pos);
                if (pos >= text.Length)
                {
                    throw Error("unexpected end", pos);
                }

                bool inObject = isObject[depth - 1];
                c = text[pos];
                if (c == ',')
                {
                    pos = SkipWhitespace(text, pos + 1);
                    if (inObject)
                    {
                        pos = ParseMemberName(text, pos, ref sink);
                    }

                    break;
                }

                if (c != (inObject ? '}' : ']'))
                {
                    throw Error(inObject ? "expected ',' or '}'" : "expected ',' or ']'", pos);
                }

                pos++;
                depth--;
                EndContainer(inObject, ref sink);
            }
        }
    }

    /// <summary>
    /// Checks the string whose opening quote is at <paramref name="pos"/> and returns the offset just
    /// after its closing quote. <paramref name="escaped"/> tells whether it holds any backslash escape.
    /// </summary>
    public static int ScanString(string text, int pos, out bool escaped)
    {
        if (pos >= text.Length || text[pos] != '"')
        {
            throw Error("expected a string", pos);
        }

        escaped = false;
        int i = pos + 1;
        while (true)
        {
            int run = text.AsSpan(i).IndexOfAny(StringSpecials);
            if (run < 0)
            {
                throw Error("unterminated string", text.Length);
            }

            i += run;
            char c = text[i];
            if (c == '"')
            {
                return i + 1;
            }

            if (c != '\\')
            {
                throw Error($"unescaped control character {Describe(c)} in a string", i);
            }

            escaped = true;
            if (i + 1 >= text.Length)
            {
                throw Error("unterminated string", text.Length);
            }

            switch (text[i + 1])
            {
                case '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't':
                    i += 2;
                    break;
                case 'u':
                    if (i + 6 > text.Length || !char.IsAsciiHexDigit(text[i + 2]) || !char.IsAsciiHexDigit(text[i + 3])
                        || !char.IsAsciiHexDigit(text[i + 4]) || !char.IsAsciiHexDigit(text[i + 5]))
                    {
                        throw Error("bad \\u escape", i);
                    }

                    i += 6;
                    break;
                default:
                    throw Error($"bad escape \\{text[i + 1]}", i);
            }
        }
    }

    /// <summary>Resolves the escapes of string content already checked by <see cref="ScanString"/>.</summary>
    public static string DecodeString(ReadOnlySpan<char> raw, bool escaped)
    {
        if (!escaped)
        {
            return new string(raw);
        }

        // Escapes only shrink the text, so the raw length is enough room.
        char[] buffer = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            int length = 0;
            int i = 0;
            while (true)
            {
                // Copy the run up to the next escape in one go: long SDP strings have few escapes.
                int run = raw[i..].IndexOf('\\');
                ReadOnlySpan<char> plain = run < 0 ? raw[i..] : raw.Slice(i, run);
                plain.CopyTo(buffer.AsSpan(length));
                length += plain.Length;
                if (run < 0)
                {
                    break;
                }

                i += run + 1;
                char c = raw[i];
                if (c == 'u')
                {
                    buffer[length++] = (char)ushort.Parse(raw.Slice(i + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier,
                        System.Globalization.CultureInfo.InvariantCulture);
                    i += 5;
                    continue;
                }

                buffer[length++] = c switch
                {
                    'b' => '\b',
                    'f' => '\f',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    _ => c,
                };
                i++;
            }

            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Skips JSON whitespace (space, tab, line feed, carriage return) from <paramref name="pos"/>.</summary>
    public static int SkipWhitespace(string text, int pos)
    {
        while (pos < text.Length && text[pos] is ' ' or '\t' or '\n' or '\r')
        {
            pos++;
        }

        return pos;
    }

    private static ProtocolException Error(string message, int offset) =>
        new($"Invalid JSON payload: {message} at offset {offset}");

    private static string Describe(char c) =>
        c is >= ' ' and < '\u007f' ? $"'{c}'" : $"U+{(int)c:X4}";

    private static void EndContainer<TSink>(bool isObject, ref TSink sink)
        where TSink : struct, IJsonSink
    {
        if (isObject)
        {
            sink.EndObject();
        }
        else
        {
            sink.EndArray();
        }
    }

    private static int ParseMemberName<TSink>(string text, int pos, ref TSink sink)
        where TSink : struct, IJsonSink
    {
        int start = pos;
        pos = ScanString(text, pos, out bool escaped);
        sink.PropertyName(text.AsSpan(start + 1, pos - start - 2), escaped);
        pos = SkipWhitespace(text, pos);
        if (pos >= text.Length || text[pos] != ':')
        {
            throw Error("expected ':'", pos);
        }

        return SkipWhitespace(text, pos + 1);
    }

    private static int ScanLiteral(string text, int pos, string literal)
    {
        if (!text.AsSpan(pos).StartsWith(literal, StringComparison.Ordinal))
        {
            throw Error($"unexpected character {Describe(text[pos])}", pos);
        }

        return pos + literal.Length;
    }

    private static int ScanNumber(string text, int pos, out bool integer)
    {
        int start = pos;
        integer = true;
        if (text[pos] == '-')
        {
            pos++;
        }

        if (pos >= text.Length || !char.IsAsciiDigit(text[pos]))
        {
            throw Error("a number needs digits", pos);
        }

        // No leading zeros: "0" alone or a digit run starting 1-9.
        if (text[pos] == '0')
        {
            pos++;
        }
        else
        {
            pos = SkipDigits(text, pos);
        }

        if (pos < text.Length && text[pos] == '.')
        {
            integer = false;
            pos = RequireDigits(text, pos + 1);
        }

        if (pos < text.Length && text[pos] is 'e' or 'E')
        {
            integer = false;
            pos++;
            if (pos < text.Length && text[pos] is '+' or '-')
            {
                pos++;
            }

            pos = RequireDigits(text, pos);
        }

        if (pos - start > MaxNumberLength)
        {
            throw Error($"number longer than {MaxNumberLength} characters", start);
        }

        return pos;
    }

    private static int RequireDigits(string text, int pos)
    {
        int end = SkipDigits(text, pos);
        return end > pos ? end : throw Error("a number needs digits", pos);
    }

    private static int SkipDigits(string text, int pos)
    {
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            pos++;
        }

        return pos;
    }
}
