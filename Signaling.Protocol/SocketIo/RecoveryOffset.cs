using System.Globalization;

namespace Signaling.Protocol.SocketIo;

/// <summary>
/// The offset of connection state recovery (Socket.IO 4.6): the server appends it to an event as
/// a last string argument, and a 4.6+ client sends the last one it handled back in its next
/// CONNECT (<c>{"pid":…,"offset":…}</c>). The client only requires a string; ours is a decimal
/// number, so it is written straight into the packet text without escaping.
/// </summary>
public static class RecoveryOffset
{
    /// <summary>Characters <see cref="WriteArgument"/> writes: <c>,"</c>, the digits, <c>"</c>.</summary>
    public static int ArgumentLength(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return DigitCount(offset) + 3;
    }

    /// <summary>Writes <c>,"&lt;offset&gt;"</c> at the start of <paramref name="destination"/>; returns its length.</summary>
    public static int WriteArgument(Span<char> destination, long offset)
    {
        destination[0] = ',';
        destination[1] = '"';
        offset.TryFormat(destination[2..], out int digits, default, CultureInfo.InvariantCulture);
        destination[digits + 2] = '"';
        return digits + 3;
    }

    /// <summary>
    /// An encoded EVENT or BINARY_EVENT (as <see cref="SocketPacketEncoder"/> writes it: ending in
    /// the payload's <c>]</c>) with <paramref name="offset"/> added as its last argument.
    /// </summary>
    public static string AppendTo(string encodedEvent, long offset)
    {
        ArgumentNullException.ThrowIfNull(encodedEvent);
        if (!encodedEvent.EndsWith(']'))
        {
            throw new ArgumentException("An encoded event ends with its payload's ']'", nameof(encodedEvent));
        }

        int length = encodedEvent.Length + ArgumentLength(offset);
        return string.Create(length, (encodedEvent, offset), static (span, state) =>
        {
            (string text, long value) = state;
            text.AsSpan(0, text.Length - 1).CopyTo(span);
            WriteArgument(span[(text.Length - 1)..], value);
            span[^1] = ']';
        });
    }

    /// <summary>Reads an offset a client sent back; false for anything this server did not write.</summary>
    public static bool TryParse(string? text, out long offset)
    {
        offset = 0;
        return text is { Length: > 0 and <= 19 } && text.All(char.IsAsciiDigit)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    private static int DigitCount(long value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
