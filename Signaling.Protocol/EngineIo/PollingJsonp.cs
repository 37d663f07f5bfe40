using System.Globalization;
using System.Text;

namespace Signaling.Protocol.EngineIo;

/// <summary>
/// JSONP framing of polling payloads (the <c>j</c> query parameter, for old browsers without
/// CORS): the response is a script <c>___eio[N]("payload");</c>, the request body is a form
/// <c>d=payload</c>. The framing wraps a payload of either version unchanged.
/// </summary>
public static class PollingJsonp
{
    /// <summary>The callback index as the reference keeps it: the digits of <c>j</c>, nothing else.</summary>
    public static string SanitizeIndex(string? j)
    {
        if (string.IsNullOrEmpty(j))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(j.Length);
        foreach (var c in j)
        {
            if (c is >= '0' and <= '9')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Wraps a text payload into the JSONP response script.</summary>
    public static string Wrap(string payload, string index)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var builder = new StringBuilder(payload.Length + 16 + index.Length);
        builder.Append("___eio[").Append(SanitizeIndex(index)).Append("](");
        AppendJavaScriptString(builder, payload);
        return builder.Append(");").ToString();
    }

    /// <summary>
    /// Extracts the payload from a form-urlencoded JSONP request body. The client escapes
    /// newlines as <c>\n</c> (and a literal backslash-n as <c>\\n</c>); both are undone here.
    /// </summary>
    public static string UnwrapRequestBody(string formBody)
    {
        ArgumentNullException.ThrowIfNull(formBody);
        string? data = null;
        foreach (var pair in formBody.Split('&'))
        {
            var equals = pair.IndexOf('=');
            var key = UrlDecode(equals < 0 ? pair : pair[..equals]);
            if (key != "d")
            {
                continue;
            }

            if (data is not null)
            {
                throw new ProtocolException("JSONP request body has more than one 'd' field.");
            }

            data = equals < 0 ? string.Empty : UrlDecode(pair[(equals + 1)..]);
        }

        if (data is null)
        {
            throw new ProtocolException("JSONP request body has no 'd' field.");
        }

        return UnescapeNewlines(data);
    }

    private static string UnescapeNewlines(string data)
    {
        var builder = new StringBuilder(data.Length);
        var i = 0;
        while (i < data.Length)
        {
            if (data[i] == '\\' && i + 2 < data.Length && data[i + 1] == '\\' && data[i + 2] == 'n')
            {
                // An escaped backslash before 'n' stays for the second pass below.
                builder.Append("\\\\n");
                i += 3;
            }
            else if (data[i] == '\\' && i + 1 < data.Length && data[i + 1] == 'n')
            {
                builder.Append('\n');
                i += 2;
            }
            else
            {
                builder.Append(data[i++]);
            }
        }

        return builder.Replace("\\\\n", "\\n").ToString();
    }

    private static string UrlDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    /// <summary>
    /// A double-quoted JavaScript string literal as JSON.stringify writes it, plus escaped
    /// U+2028/U+2029, which older JavaScript engines reject inside string literals.
    /// </summary>
    private static void AppendJavaScriptString(StringBuilder builder, string value)
    {
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\u2028':
                case '\u2029':
                    AppendUnicodeEscape(builder, c);
                    break;
                default:
                    if (c < ' ' || IsLoneSurrogate(value, i))
                    {
                        AppendUnicodeEscape(builder, c);
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }

    private static bool IsLoneSurrogate(string value, int i)
    {
        var c = value[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]);
        }

        return char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));
    }

    private static void AppendUnicodeEscape(StringBuilder builder, char c) =>
        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
