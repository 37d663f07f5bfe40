using System.Buffers.Binary;

namespace Signaling.LoadGen;

/// <summary>
/// RFC 6455 framing, just what a client needs. Client frames must be masked; the masking key is
/// all zeros, which the RFC allows a server to receive and which leaves the payload as it is, so a
/// frame can be encoded once and sent many times with only its numbers rewritten in place.
/// </summary>
public static class WebSocketFrame
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>A whole (FIN) masked client frame with the given opcode and payload.</summary>
    public static byte[] Encode(byte opcode, ReadOnlySpan<byte> payload)
    {
        var lengthBytes = payload.Length < 126 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        var frame = new byte[2 + lengthBytes + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        switch (lengthBytes)
        {
            case 0:
                frame[1] = (byte)(0x80 | payload.Length);
                break;
            case 2:
                frame[1] = 0x80 | 126;
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
                break;
            default:
                frame[1] = 0x80 | 127;
                BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
                break;
        }

        // Bytes 2 + lengthBytes .. + 4 are the zero masking key, already zero.
        payload.CopyTo(frame.AsSpan(2 + lengthBytes + 4));
        return frame;
    }

    /// <summary>Size of the header <see cref="Encode"/> puts before a payload of this length.</summary>
    public static int HeaderLength(int payloadLength) =>
        2 + (payloadLength < 126 ? 0 : payloadLength <= ushort.MaxValue ? 2 : 8) + 4;

    /// <summary>
    /// Reads the header of an (unmasked) server frame at the start of <paramref name="data"/>.
    /// False when more bytes are needed to know the header.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out bool final, out byte opcode, out int headerLength, out long payloadLength)
    {
        final = false;
        opcode = 0;
        headerLength = 0;
        payloadLength = 0;
        if (data.Length < 2)
        {
            return false;
        }

        final = (data[0] & 0x80) != 0;
        opcode = (byte)(data[0] & 0x0F);
        if ((data[1] & 0x80) != 0)
        {
            throw new InvalidDataException("the server sent a masked frame");
        }

        var length = data[1] & 0x7F;
        switch (length)
        {
            case 126 when data.Length >= 4:
                headerLength = 4;
                payloadLength = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
                return true;
            case 127 when data.Length >= 10:
                headerLength = 10;
                payloadLength = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
                return true;
            case 126 or 127:
                return false;
            default:
                headerLength = 2;
                payloadLength = length;
                return true;
        }
    }
}
