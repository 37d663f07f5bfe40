using System.Text;

namespace Signaling.Protocol.EngineIo;

/// <summary>
/// Encodes and decodes a single Engine.IO packet as carried by one WebSocket frame, and the
/// text form that the polling payloads build on. Text packets are <c>&lt;type digit&gt;[data]</c>
/// in both versions; binary messages differ: v4 sends the raw bytes, v3 prefixes the type byte.
/// In text-only contexts a binary message is <c>b</c>+base64 (v4) or <c>b4</c>+base64 (v3).
/// </summary>
public static class EnginePacketCodec
{
    private const char Base64Prefix = 'b';

    /// <summary>Strict UTF-8: invalid bytes are a protocol error, not replacement characters.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes a packet from a WebSocket text frame or one element of a polling payload.</summary>
    public static EnginePacket DecodeText(string encoded, EngineIoVersion version) => DecodeText(encoded.AsSpan(), version);

    /// <inheritdoc cref="DecodeText(string, EngineIoVersion)"/>
    public static EnginePacket DecodeText(ReadOnlySpan<char> encoded, EngineIoVersion version)
    {
        if (encoded.IsEmpty)
        {
            throw new ProtocolException("Empty Engine.IO packet.");
        }

        if (encoded[0] == Base64Prefix)
        {
            return DecodeBase64(encoded[1..], version);
        }

        var type = ParseType(encoded[0]);
        return EnginePacket.Create(type, encoded.Length > 1 ? new string(encoded[1..]) : string.Empty);
    }

    /// <summary>
    /// Decodes a packet from the UTF-8 bytes of a WebSocket text frame, as <see cref="DecodeText(string, EngineIoVersion)"/>
    /// does from its string, with one string made (the packet's text) instead of two (the frame's, then the text's).
    /// </summary>
    /// <exception cref="ProtocolException">The frame is not a valid packet or not valid UTF-8.</exception>
    public static EnginePacket DecodeUtf8(ReadOnlySpan<byte> frame, EngineIoVersion version)
    {
        if (frame.IsEmpty || frame[0] is (byte)Base64Prefix or >= 0x80)
        {
            // Empty, base64 binary, or not a type digit: the rare cases, read as text for the same result and message.
            return DecodeText(Utf8ToString(frame), version);
        }

        var type = ParseType((char)frame[0]);
        return EnginePacket.Create(type, frame.Length > 1 ? Utf8ToString(frame[1..]) : string.Empty);
    }

    /// <summary>
    /// Decodes a packet from a WebSocket binary frame. The returned packet owns a fresh copy of
    /// the bytes, so <paramref name="frame"/> may be a reused buffer.
    /// </summary>
    public static EnginePacket DecodeBinary(ReadOnlySpan<byte> frame, EngineIoVersion version)
    {
        if (version == EngineIoVersion.V4)
        {
            return EnginePacket.BinaryMessage(frame.ToArray());
        }

        if (frame.IsEmpty)
        {
            throw new ProtocolException("Empty Engine.IO v3 binary packet: the type byte is missing.");
        }

        return new EnginePacket(ParseBinaryType(frame[0]), null, frame[1..].ToArray(), true);
    }

    /// <summary>
    /// The text form of a packet: type digit and text, or for a binary message its base64 form
    /// (as polling payloads and base64-only WebSocket clients carry it).
    /// </summary>
    public static string EncodeText(EnginePacket packet, EngineIoVersion version)
    {
        if (packet.IsBinary)
        {
            var prefix = version == EngineIoVersion.V4 ? "b" : "b4";
            return prefix + Convert.ToBase64String(packet.Binary.Span);
        }

        var text = packet.Text ?? string.Empty;
        return string.Create(1 + text.Length, (Digit: TypeChar(packet.Type), Text: text), static (span, state) =>
        {
            span[0] = state.Digit;
            state.Text.CopyTo(span[1..]);
        });
    }

    /// <summary>Bytes of the UTF-8 text frame for a non-binary packet.</summary>
    public static int GetUtf8ByteCount(EnginePacket packet)
    {
        RequireText(packet);
        return 1 + Encoding.UTF8.GetByteCount(packet.Text ?? string.Empty);
    }

    /// <summary>Writes the UTF-8 text frame of a non-binary packet; returns the bytes written.</summary>
    public static int EncodeUtf8(EnginePacket packet, Span<byte> destination)
    {
        RequireText(packet);
        destination[0] = (byte)TypeChar(packet.Type);
        return 1 + Encoding.UTF8.GetBytes(packet.Text ?? string.Empty, destination[1..]);
    }

    /// <summary>Bytes of the WebSocket binary frame for a binary message.</summary>
    public static int GetBinaryFrameLength(EnginePacket packet, EngineIoVersion version)
    {
        RequireBinary(packet);
        return packet.Binary.Length + (version == EngineIoVersion.V3 ? 1 : 0);
    }

    /// <summary>Writes the WebSocket binary frame of a binary message (v3 prefixes the type byte).</summary>
    public static int EncodeBinary(EnginePacket packet, EngineIoVersion version, Span<byte> destination)
    {
        RequireBinary(packet);
        var offset = 0;
        if (version == EngineIoVersion.V3)
        {
            destination[0] = (byte)packet.Type;
            offset = 1;
        }

        packet.Binary.Span.CopyTo(destination[offset..]);
        return offset + packet.Binary.Length;
    }

    /// <summary>Convenience form of <see cref="EncodeBinary(EnginePacket, EngineIoVersion, Span{byte})"/>.</summary>
    public static byte[] EncodeBinary(EnginePacket packet, EngineIoVersion version)
    {
        var bytes = new byte[GetBinaryFrameLength(packet, version)];
        EncodeBinary(packet, version, bytes);
        return bytes;
    }

    private static string Utf8ToString(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProtocolException("Engine.IO text packet with invalid UTF-8.", e);
        }
    }

    internal static EnginePacketType ParseType(char digit)
    {
        var value = digit - '0';
        if (value is < (int)EnginePacketType.Open or > (int)EnginePacketType.Noop)
        {
            throw new ProtocolException($"Unknown Engine.IO packet type '{Printable(digit)}'.");
        }

        return (EnginePacketType)value;
    }

    internal static EnginePacketType ParseBinaryType(byte value)
    {
        // Only message packets carry binary data; anything else in a binary frame is nonsense.
        if (value != (byte)EnginePacketType.Message)
        {
            throw new ProtocolException($"Unsupported Engine.IO v3 binary packet type {value}; only message (4) carries binary data.");
        }

        return EnginePacketType.Message;
    }

    internal static char TypeChar(EnginePacketType type)
    {
        if ((uint)type > (uint)EnginePacketType.Noop)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not an Engine.IO packet type.");
        }

        return (char)('0' + (int)type);
    }

    private static EnginePacket DecodeBase64(ReadOnlySpan<char> encoded, EngineIoVersion version)
    {
        if (version == EngineIoVersion.V3)
        {
            if (encoded.IsEmpty)
            {
                throw new ProtocolException("Engine.IO v3 base64 packet without a type.");
            }

            var type = ParseType(encoded[0]);
            if (type != EnginePacketType.Message)
            {
                throw new ProtocolException($"Unsupported Engine.IO v3 base64 packet type {(int)type}; only message (4) carries binary data.");
            }

            encoded = encoded[1..];
        }

        var buffer = new byte[(encoded.Length * 3 + 3) / 4];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var written))
        {
            throw new ProtocolException("Invalid base64 in an Engine.IO binary packet.");
        }

        return EnginePacket.BinaryMessage(buffer.AsMemory(0, written));
    }

    private static void RequireText(EnginePacket packet)
    {
        if (packet.IsBinary)
        {
            throw new ArgumentException("A binary packet has no text frame form.", nameof(packet));
        }
    }

    private static void RequireBinary(EnginePacket packet)
    {
        if (!packet.IsBinary)
        {
            throw new ArgumentException("A text packet has no binary frame form.", nameof(packet));
        }
    }

    internal static string Printable(char c) => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
