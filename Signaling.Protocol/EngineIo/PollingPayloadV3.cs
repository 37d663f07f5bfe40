using System.Globalization;
using System.Text;

namespace Signaling.Protocol.EngineIo;

/// <summary>
/// The Engine.IO v3 HTTP long-polling payloads (Socket.IO clients 1.x/2.x):
/// <list type="bullet">
/// <item>text: <c>&lt;length&gt;:&lt;packet&gt;</c> repeated, the length counting UTF-16 code
/// units (so <c>€</c> counts 1), binary messages as <c>b4</c>+base64;</item>
/// <item>binary (XHR2, <c>application/octet-stream</c>): per packet a kind byte (0 text, 1
/// binary), the length as one byte per decimal digit, <c>0xFF</c>, then the packet (text as
/// UTF-8; binary as the type byte and the data).</item>
/// </list>
/// </summary>
public static class PollingPayloadV3
{
    /// <summary>
    /// Longest accepted length prefix. Ten digits cover any length an <see cref="int"/> can hold;
    /// a longer prefix can only be an attack or garbage.
    /// </summary>
    public const int MaxLengthDigits = 10;

    private const byte TextKind = 0;
    private const byte BinaryKind = 1;
    private const byte LengthTerminator = 0xFF;

    /// <summary>Decodes a text payload; any malformed part rejects the whole payload.</summary>
    public static IReadOnlyList<EnginePacket> Decode(string payload) => Decode(payload, out _);

    /// <summary>
    /// Decodes a text payload and tells whether a packet came as UTF-8 byte characters, the way
    /// Socket.IO 1.x clients send (see <see cref="UndoUtf8Encoding"/>); such a client expects
    /// the same in return (<see cref="Encode(IReadOnlyList{EnginePacket}, bool)"/>).
    /// </summary>
    public static IReadOnlyList<EnginePacket> Decode(string payload, out bool sawByteCharacters)
    {
        sawByteCharacters = false;
        if (payload.Length == 0)
        {
            throw new ProtocolException("Empty Engine.IO v3 polling payload.");
        }

        var packets = new List<EnginePacket>();
        var position = 0;
        while (position < payload.Length)
        {
            var window = payload.AsSpan(position, Math.Min(MaxLengthDigits + 1, payload.Length - position));
            var colon = window.IndexOf(':');
            if (colon < 0)
            {
                throw new ProtocolException(window.Length > MaxLengthDigits
                    ? $"Engine.IO v3 payload length at offset {position} has more than {MaxLengthDigits} digits."
                    : $"Engine.IO v3 payload is missing ':' after the length at offset {position}.");
            }

            var length = ParseDecimal(window[..colon], position);
            var start = position + colon + 1;
            if (length > payload.Length - start)
            {
                throw new ProtocolException($"Engine.IO v3 payload declares a {length}-character packet at offset {position} but only {payload.Length - start} remain.");
            }

            // The reference encoder writes "0:" for an empty packet list, so a zero length is skipped.
            if (length > 0)
            {
                var packet = payload.AsSpan(start, length);
                var undone = UndoUtf8Encoding(packet);
                sawByteCharacters |= undone.Length != packet.Length;
                packets.Add(EnginePacketCodec.DecodeText(undone, EngineIoVersion.V3));
            }

            position = start + length;
        }

        return packets;
    }

    /// <summary>
    /// Socket.IO 1.x clients (engine.io-parser 1.x) UTF-8-encode each packet of a text payload
    /// into a string of byte-valued characters before the HTTP layer encodes it again; 2.x
    /// clients do not. A packet made only of characters up to U+00FF that form valid UTF-8
    /// with at least one multi-byte sequence can only be the former in practice (the
    /// Node.js server does not undo it, and garbles such text), so it is decoded once more.
    /// </summary>
    private static ReadOnlySpan<char> UndoUtf8Encoding(ReadOnlySpan<char> packet)
    {
        if (!packet.ContainsAnyInRange('\u0080', '\u00ff') || packet.ContainsAnyInRange('\u0100', '\uffff'))
        {
            return packet;
        }
        // Latin-1 maps U+0000–U+00FF to the bytes 0–255 one for one.
        var bytes = new byte[packet.Length];
        Encoding.Latin1.GetBytes(packet, bytes);
        try
        {
            return EnginePacketCodec.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return packet;
        }
    }

    /// <summary>Decodes a binary (XHR2) payload; binary packets own fresh copies of their bytes.</summary>
    public static IReadOnlyList<EnginePacket> DecodeBinary(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            throw new ProtocolException("Empty Engine.IO v3 binary payload.");
        }

        var packets = new List<EnginePacket>();
        var position = 0;
        while (position < payload.Length)
        {
            var kind = payload[position];
            if (kind is not (TextKind or BinaryKind))
            {
                throw new ProtocolException($"Engine.IO v3 binary payload has an unknown kind byte {kind} at offset {position}.");
            }

            var length = 0;
            var digits = 0;
            var cursor = position + 1;
            while (true)
            {
                if (cursor >= payload.Length)
                {
                    throw new ProtocolException($"Engine.IO v3 binary payload length at offset {position} is not terminated by 0xFF.");
                }

                var digit = payload[cursor++];
                if (digit == LengthTerminator)
                {
                    break;
                }

                if (digit > 9)
                {
                    throw new ProtocolException($"Engine.IO v3 binary payload length at offset {position} has a non-digit byte {digit}.");
                }

                if (++digits > MaxLengthDigits)
                {
                    throw new ProtocolException($"Engine.IO v3 binary payload length at offset {position} has more than {MaxLengthDigits} digits.");
                }

                length = checked((int)Math.Min(int.MaxValue, (long)length * 10 + digit));
            }

            if (digits == 0)
            {
                throw new ProtocolException($"Engine.IO v3 binary payload has an empty length at offset {position}.");
            }

            if (length > payload.Length - cursor)
            {
                throw new ProtocolException($"Engine.IO v3 binary payload declares a {length}-byte packet at offset {position} but only {payload.Length - cursor} remain.");
            }

            var body = payload.Slice(cursor, length);
            packets.Add(kind == TextKind
                ? EnginePacketCodec.DecodeText(DecodeUtf8(body, position), EngineIoVersion.V3)
                : EnginePacketCodec.DecodeBinary(body, EngineIoVersion.V3));
            position = cursor + length;
        }

        return packets;
    }

    /// <summary>Whether any packet carries binary data (the server then prefers the binary payload).</summary>
    public static bool HasBinary(IReadOnlyList<EnginePacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        for (var i = 0; i < packets.Count; i++)
        {
            if (packets[i].IsBinary)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Encodes a text payload (binary messages as <c>b4</c>+base64).</summary>
    public static string Encode(IReadOnlyList<EnginePacket> packets) => Encode(packets, asByteCharacters: false);

    /// <summary>
    /// Encodes a text payload; with <paramref name="asByteCharacters"/>, each packet as the
    /// characters of its UTF-8 bytes, which Socket.IO 1.x clients decode once more.
    /// </summary>
    public static string Encode(IReadOnlyList<EnginePacket> packets, bool asByteCharacters)
    {
        ArgumentNullException.ThrowIfNull(packets);
        if (packets.Count == 0)
        {
            return "0:";
        }

        var builder = new StringBuilder();
        foreach (var packet in packets)
        {
            var encoded = EnginePacketCodec.EncodeText(packet, EngineIoVersion.V3);
            if (asByteCharacters && !System.Text.Ascii.IsValid(encoded))
            {
                encoded = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(encoded));
            }

            builder.Append(encoded.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(encoded);
        }

        return builder.ToString();
    }

    /// <summary>Encodes a binary (XHR2) payload.</summary>
    public static byte[] EncodeBinary(IReadOnlyList<EnginePacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[MaxLengthDigits + 2];
        foreach (var packet in packets)
        {
            byte[] body = packet.IsBinary
                ? EnginePacketCodec.EncodeBinary(packet, EngineIoVersion.V3)
                : Encoding.UTF8.GetBytes(EnginePacketCodec.EncodeText(packet, EngineIoVersion.V3));
            var digits = body.Length.ToString(CultureInfo.InvariantCulture);
            header[0] = packet.IsBinary ? BinaryKind : TextKind;
            for (var i = 0; i < digits.Length; i++)
            {
                header[i + 1] = (byte)(digits[i] - '0');
            }

            header[digits.Length + 1] = LengthTerminator;
            stream.Write(header[..(digits.Length + 2)]);
            stream.Write(body);
        }

        return stream.ToArray();
    }

    private static int ParseDecimal(ReadOnlySpan<char> digits, int offset)
    {
        if (digits.IsEmpty)
        {
            throw new ProtocolException($"Engine.IO v3 payload has an empty length at offset {offset}.");
        }

        long value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                throw new ProtocolException($"Engine.IO v3 payload length at offset {offset} is not a number.");
            }

            value = value * 10 + (c - '0');
        }

        // Ten digits can exceed int.MaxValue; such a length can never fit the payload anyway.
        return (int)Math.Min(value, int.MaxValue);
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, int offset)
    {
        try
        {
            return EnginePacketCodec.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProtocolException($"Engine.IO v3 binary payload has invalid UTF-8 in the text packet at offset {offset}.", e);
        }
    }
}
