using System.Buffers.Binary;

namespace Signaling.Protocol.MsgPack;

/// <summary>
/// Reads MessagePack value by value without building anything, for the fast paths that turn down what
/// they do not expect instead of failing: every read says false on a value of another kind or on bytes
/// that end too soon, and the caller then leaves the message to <see cref="NotepackDecoder"/>, which
/// reports what is wrong with it.
/// </summary>
internal ref struct MsgPackReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public MsgPackReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
    }

    public readonly int Position => _position;

    public readonly bool AtEnd => _position == _bytes.Length;

    /// <summary>The first byte of the next value; false at the end.</summary>
    public readonly bool TryPeek(out byte prefix)
    {
        prefix = _position < _bytes.Length ? _bytes[_position] : (byte)0;
        return _position < _bytes.Length;
    }

    public bool TryReadArrayHeader(out int count) => TryReadHeader(0x90, 0xdc, out count);

    public bool TryReadMapHeader(out int count) => TryReadHeader(0x80, 0xde, out count);

    /// <summary>A string's UTF-8 bytes (fixstr, str8, str16, str32).</summary>
    public bool TryReadString(out ReadOnlySpan<byte> utf8)
    {
        utf8 = default;
        if (!TryPeek(out byte prefix))
        {
            return false;
        }

        int length;
        switch (prefix)
        {
            case >= 0xa0 and <= 0xbf:
                _position++;
                length = prefix & 0x1f;
                break;
            case 0xd9 when TryTake(2, out var header):
                length = header[1];
                break;
            case 0xda when TryTake(3, out var header):
                length = BinaryPrimitives.ReadUInt16BigEndian(header[1..]);
                break;
            case 0xdb when TryTake(5, out var header) && BinaryPrimitives.ReadUInt32BigEndian(header[1..]) <= int.MaxValue:
                length = (int)BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
                break;
            default:
                return false;
        }

        return TryTake(length, out utf8);
    }

    /// <summary>An integer in any of the integer formats that fits a <see cref="long"/>.</summary>
    public bool TryReadInteger(out long value)
    {
        value = 0;
        if (!TryPeek(out byte prefix))
        {
            return false;
        }

        if (prefix < 0x80 || prefix > 0xdf)
        {
            _position++;
            value = prefix < 0x80 ? prefix : (sbyte)prefix; // positive or negative fixint
            return true;
        }

        int size = prefix switch
        {
            0xcc or 0xd0 => 1,
            0xcd or 0xd1 => 2,
            0xce or 0xd2 => 4,
            0xcf or 0xd3 => 8,
            _ => 0,
        };
        if (size == 0 || !TryTake(1 + size, out var bytes))
        {
            return false;
        }

        ReadOnlySpan<byte> body = bytes[1..];
        switch (prefix)
        {
            case 0xcc: value = body[0]; break;
            case 0xcd: value = BinaryPrimitives.ReadUInt16BigEndian(body); break;
            case 0xce: value = BinaryPrimitives.ReadUInt32BigEndian(body); break;
            case 0xcf:
                ulong large = BinaryPrimitives.ReadUInt64BigEndian(body);
                value = (long)large;
                return large <= long.MaxValue;
            case 0xd0: value = (sbyte)body[0]; break;
            case 0xd1: value = BinaryPrimitives.ReadInt16BigEndian(body); break;
            case 0xd2: value = BinaryPrimitives.ReadInt32BigEndian(body); break;
            default: value = BinaryPrimitives.ReadInt64BigEndian(body); break;
        }

        return true;
    }

    /// <summary>A float32 or float64, as a double.</summary>
    public bool TryReadFloat(out double value)
    {
        value = 0;
        if (TryPeek(out byte prefix) && prefix == 0xca && TryTake(5, out var single))
        {
            value = BinaryPrimitives.ReadSingleBigEndian(single[1..]);
            return true;
        }

        if (prefix == 0xcb && TryTake(9, out var wide))
        {
            value = BinaryPrimitives.ReadDoubleBigEndian(wide[1..]);
            return true;
        }

        return false;
    }

    /// <summary>Steps over one value of any kind, nested at most <paramref name="maxDepth"/> arrays and maps deep.</summary>
    public bool TrySkip(int maxDepth)
    {
        if (!TryPeek(out byte prefix))
        {
            return false;
        }

        if (prefix is (>= 0x80 and <= 0x9f) or 0xdc or 0xdd or 0xde or 0xdf)
        {
            bool isMap = prefix is (>= 0x80 and <= 0x8f) or 0xde or 0xdf;
            if (maxDepth == 0 || !(isMap ? TryReadMapHeader(out int count) : TryReadArrayHeader(out count)))
            {
                return false;
            }

            long items = isMap ? 2L * count : count;
            for (long i = 0; i < items; i++)
            {
                if (!TrySkip(maxDepth - 1))
                {
                    return false;
                }
            }

            return true;
        }

        int length = prefix switch
        {
            < 0x80 or > 0xdf or 0xc0 or 0xc2 or 0xc3 => 1,
            >= 0xa0 and <= 0xbf => 1 + (prefix & 0x1f),
            0xcc or 0xd0 => 2,
            0xcd or 0xd1 or 0xd4 => 3,
            0xd5 => 4,
            0xca or 0xce or 0xd2 => 5,
            0xd6 => 6,
            0xcb or 0xcf or 0xd3 => 9,
            0xd7 => 10,
            0xd8 => 18,
            0xc4 or 0xd9 => VariableLength(1, extension: false),
            0xc5 or 0xda => VariableLength(2, extension: false),
            0xc6 or 0xdb => VariableLength(4, extension: false),
            0xc7 => VariableLength(1, extension: true),
            0xc8 => VariableLength(2, extension: true),
            0xc9 => VariableLength(4, extension: true),
            _ => -1,
        };
        return length > 0 && TryTake(length, out _);
    }

    /// <summary>The whole length of a value whose size follows its prefix in <paramref name="sizeBytes"/> bytes; -1 when cut short.</summary>
    private readonly int VariableLength(int sizeBytes, bool extension)
    {
        int header = 1 + sizeBytes + (extension ? 1 : 0);
        if (_bytes.Length - _position < header)
        {
            return -1;
        }

        ReadOnlySpan<byte> size = _bytes.Slice(_position + 1, sizeBytes);
        long body = sizeBytes switch
        {
            1 => size[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(size),
            _ => BinaryPrimitives.ReadUInt32BigEndian(size),
        };
        return header + body <= int.MaxValue ? header + (int)body : -1;
    }

    private bool TryReadHeader(byte fix, byte code16, out int count)
    {
        count = 0;
        if (!TryPeek(out byte prefix))
        {
            return false;
        }

        if (prefix >= fix && prefix <= fix + 0x0f)
        {
            _position++;
            count = prefix & 0x0f;
            return true;
        }

        if (prefix == code16 && TryTake(3, out var short16))
        {
            count = BinaryPrimitives.ReadUInt16BigEndian(short16[1..]);
            return true;
        }

        if (prefix == code16 + 1 && TryTake(5, out var long32) && BinaryPrimitives.ReadUInt32BigEndian(long32[1..]) <= int.MaxValue)
        {
            count = (int)BinaryPrimitives.ReadUInt32BigEndian(long32[1..]);
            return true;
        }

        return false;
    }

    private bool TryTake(int count, out ReadOnlySpan<byte> span)
    {
        if (count < 0 || count > _bytes.Length - _position)
        {
            span = default;
            return false;
        }

        span = _bytes.Slice(_position, count);
        _position += count;
        return true;
    }
}
