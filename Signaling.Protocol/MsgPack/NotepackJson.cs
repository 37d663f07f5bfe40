using System.Buffers;
using System.Text;
using Signaling.Protocol.SocketIo.Json;

namespace Signaling.Protocol.MsgPack;

/// <summary>
/// Writes MessagePack straight as the JSON text that <see cref="SocketIo.SocketPacketEncoder"/> writes for
/// <see cref="NotepackDecoder"/>'s tree of it, without building the tree: events heard from other nodes go
/// out this way. It turns down (false, nothing written) whatever the tree path treats specially, which then
/// takes over: bin and extensions (Buffers, Dates, undefined), map keys that are not strings, repeated or
/// <c>__proto__</c> keys, maps of more than <see cref="MaxMapEntries"/> entries, integers past 64 bits,
/// nesting past the depth limit, and bytes that are no complete value.
/// </summary>
internal static class NotepackJson
{
    /// <summary>Larger maps are left to the tree path, whose check for repeated keys is a lookup.</summary>
    private const int MaxMapEntries = 32;

    /// <param name="bytes">One MessagePack value and nothing after it.</param>
    /// <param name="levels">How many arrays and maps deep the value may nest.</param>
    /// <param name="output">Where the JSON goes ; on false it is left as it was.</param>
    public static bool TryWrite(ReadOnlySpan<byte> bytes, int levels, StringWriter output)
    {
        StringBuilder text = output.GetStringBuilder();
        int start = text.Length;
        var reader = new MsgPackReader(bytes);
        if (TryWriteValue(bytes, ref reader, levels, output) && reader.AtEnd)
        {
            return true;
        }

        text.Length = start;
        return false;
    }

    private static bool TryWriteValue(ReadOnlySpan<byte> bytes, ref MsgPackReader reader, int levels, StringWriter output)
    {
        if (!reader.TryPeek(out byte prefix))
        {
            return false;
        }

        switch (prefix)
        {
            case 0xc0 or 0xc2 or 0xc3:
                reader.TrySkip(0);
                output.Write(prefix == 0xc0 ? "null" : prefix == 0xc3 ? "true" : "false");
                return true;
            case 0xca or 0xcb:
                if (!reader.TryReadFloat(out double number))
                {
                    return false;
                }

                output.Write(double.IsFinite(number) ? JsNumberFormat.Format(number) : "null");
                return true;
            case (>= 0xa0 and <= 0xbf) or 0xd9 or 0xda or 0xdb:
                return reader.TryReadString(out var text) && TryWriteString(text, output);
            case (>= 0x90 and <= 0x9f) or 0xdc or 0xdd:
                return levels > 0 && reader.TryReadArrayHeader(out int items) && TryWriteArray(bytes, ref reader, items, levels - 1, output);
            case (>= 0x80 and <= 0x8f) or 0xde or 0xdf:
                return levels > 0 && reader.TryReadMapHeader(out int entries) && TryWriteMap(bytes, ref reader, entries, levels - 1, output);
            default:
                if (!reader.TryReadInteger(out long integer))
                {
                    return false; // bin, an extension, or an integer past 64 bits
                }

                Span<char> digits = stackalloc char[20];
                integer.TryFormat(digits, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
                output.Write(digits[..written]);
                return true;
        }
    }

    private static bool TryWriteArray(ReadOnlySpan<byte> bytes, ref MsgPackReader reader, int items, int levels, StringWriter output)
    {
        output.Write('[');
        for (int i = 0; i < items; i++)
        {
            if (i > 0)
            {
                output.Write(',');
            }

            if (!TryWriteValue(bytes, ref reader, levels, output))
            {
                return false;
            }
        }

        output.Write(']');
        return true;
    }

    private static bool TryWriteMap(ReadOnlySpan<byte> bytes, ref MsgPackReader reader, int entries, int levels, StringWriter output)
    {
        if (entries > MaxMapEntries)
        {
            return false;
        }

        // Where each key's bytes end, to look for a repeat among the earlier ones.
        Span<int> keyEnds = stackalloc int[entries];
        Span<int> keyLengths = stackalloc int[entries];
        output.Write('{');
        for (int i = 0; i < entries; i++)
        {
            if (!reader.TryReadString(out var key) || key.SequenceEqual("__proto__"u8))
            {
                return false;
            }

            for (int j = 0; j < i; j++)
            {
                if (bytes.Slice(keyEnds[j] - keyLengths[j], keyLengths[j]).SequenceEqual(key))
                {
                    return false;
                }
            }

            keyEnds[i] = reader.Position;
            keyLengths[i] = key.Length;
            if (i > 0)
            {
                output.Write(',');
            }

            if (!TryWriteString(key, output))
            {
                return false;
            }

            output.Write(':');
            if (!TryWriteValue(bytes, ref reader, levels, output))
            {
                return false;
            }
        }

        output.Write('}');
        return true;
    }

    /// <summary>A string as JSON.stringify writes it; invalid UTF-8 becomes U+FFFD, as the tree path decodes it.</summary>
    private static bool TryWriteString(ReadOnlySpan<byte> utf8, StringWriter output)
    {
        int length = Encoding.UTF8.GetCharCount(utf8);
        char[]? rented = length > 256 ? ArrayPool<char>.Shared.Rent(length) : null;
        Span<char> chars = rented is null ? stackalloc char[length] : rented;
        try
        {
            int written = Encoding.UTF8.GetChars(utf8, chars);
            JsString.Write(output, chars[..written]);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
