using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Signaling.Protocol.MsgPack;

/// <summary>
/// Writes MessagePack values with the encodings notepack.io 3 picks, so that what a C# node publishes is
/// byte for byte what a Node.js node would publish for the same value: the smallest integer format
/// (unsigned formats for values from 0, signed ones below), float64 for every non-integral number,
/// str8 from 32 bytes on, and the Timestamp extension (type -1) for dates.
/// </summary>
public readonly struct MsgPackWriter
{
    private readonly IBufferWriter<byte> _output;

    /// <summary>Writes into <paramref name="output"/>.</summary>
    public MsgPackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>nil.</summary>
    public void WriteNil() => WriteByte(0xc0);

    /// <summary>true or false.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)0xc3 : (byte)0xc2);

    /// <summary>An integer; from 0 up it takes the unsigned formats, as notepack does.</summary>
    public void WriteInteger(long value)
    {
        if (value >= 0)
        {
            WriteInteger((ulong)value);
        }
        else if (value >= -32)
        {
            WriteByte((byte)value); // negative fixint
        }
        else if (value >= sbyte.MinValue)
        {
            Span<byte> span = _output.GetSpan(2);
            span[0] = 0xd0;
            span[1] = (byte)value;
            _output.Advance(2);
        }
        else if (value >= short.MinValue)
        {
            Span<byte> span = _output.GetSpan(3);
            span[0] = 0xd1;
            BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value);
            _output.Advance(3);
        }
        else if (value >= int.MinValue)
        {
            Span<byte> span = _output.GetSpan(5);
            span[0] = 0xd2;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value);
            _output.Advance(5);
        }
        else
        {
            Span<byte> span = _output.GetSpan(9);
            span[0] = 0xd3;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            _output.Advance(9);
        }
    }

    /// <summary>An unsigned integer, in its shortest form.</summary>
    public void WriteInteger(ulong value)
    {
        if (value < 0x80)
        {
            WriteByte((byte)value); // positive fixint
        }
        else if (value <= byte.MaxValue)
        {
            Span<byte> span = _output.GetSpan(2);
            span[0] = 0xcc;
            span[1] = (byte)value;
            _output.Advance(2);
        }
        else if (value <= ushort.MaxValue)
        {
            WriteHeader16(0xcd, (ushort)value);
        }
        else if (value <= uint.MaxValue)
        {
            WriteHeader32(0xce, (uint)value);
        }
        else
        {
            Span<byte> span = _output.GetSpan(9);
            span[0] = 0xcf;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            _output.Advance(9);
        }
    }

    /// <summary>
    /// A JavaScript number: integral values in the 64-bit range as integers (so <c>1.0</c> is <c>01</c> and
    /// <c>-0</c> is <c>00</c>, as notepack writes them), anything else, NaN and infinities included, as float64.
    /// Integral values past 64 bits stay float64: notepack would wrap them modulo 2^64.
    /// </summary>
    public void WriteNumber(double value)
    {
        if (double.IsFinite(value) && Math.Floor(value) == value)
        {
            if (value >= 0 && value < 18446744073709551616.0)
            {
                WriteInteger((ulong)value);
                return;
            }

            if (value < 0 && value >= -9223372036854775808.0)
            {
                WriteInteger((long)value);
                return;
            }
        }

        WriteFloat64(value);
    }

    /// <summary>A float64; every NaN is written as JavaScript's one NaN (<c>7ff8000000000000</c>; .NET's is negative).</summary>
    public void WriteFloat64(double value)
    {
        Span<byte> span = _output.GetSpan(9);
        span[0] = 0xcb;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], double.IsNaN(value) ? BitConverter.Int64BitsToDouble(0x7ff8000000000000) : value);
        _output.Advance(9);
    }

    /// <summary>A string as UTF-8 (a lone surrogate becomes U+FFFD, as Node's Buffer writes it).</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteLengthHeader(length, fix: 0xa0, fixLimit: 0x20, code8: 0xd9, code16: 0xda, code32: 0xdb);
        Span<byte> span = _output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _output.Advance(length);
    }

    /// <summary>A string already in UTF-8, such as a cached channel or key name.</summary>
    public void WriteUtf8String(ReadOnlySpan<byte> utf8)
    {
        WriteLengthHeader(utf8.Length, fix: 0xa0, fixLimit: 0x20, code8: 0xd9, code16: 0xda, code32: 0xdb);
        _output.Write(utf8);
    }

    /// <summary>A Buffer: bin8, bin16 or bin32.</summary>
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteLengthHeader(value.Length, fix: 0, fixLimit: 0, code8: 0xc4, code16: 0xc5, code32: 0xc6);
        _output.Write(value);
    }

    /// <summary>A value already in MessagePack, such as data carried from one message into another.</summary>
    public void WriteEncoded(ReadOnlySpan<byte> value) => _output.Write(value);

    /// <summary>The start of an array of <paramref name="count"/> items, which follow.</summary>
    public void WriteArrayHeader(int count) =>
        WriteLengthHeader(count, fix: 0x90, fixLimit: 0x10, code8: 0, code16: 0xdc, code32: 0xdd);

    /// <summary>The start of a map of <paramref name="count"/> key-value pairs, which follow.</summary>
    public void WriteMapHeader(int count) =>
        WriteLengthHeader(count, fix: 0x80, fixLimit: 0x10, code8: 0, code16: 0xde, code32: 0xdf);

    /// <summary>
    /// A JavaScript Date, given as milliseconds since the epoch, in the Timestamp extension: 32-bit seconds
    /// when it is a whole second from 1970 to 2106, 64-bit up to 2514, 96-bit otherwise (before 1970 too).
    /// </summary>
    public void WriteTimestamp(long unixMilliseconds)
    {
        long seconds = Math.DivRem(unixMilliseconds, 1000, out long millis);
        if (millis < 0)
        {
            seconds--;
            millis += 1000;
        }

        uint nanoseconds = (uint)millis * 1_000_000;
        if (seconds >= 0 && seconds <= 0x3_ffff_ffffL)
        {
            if (nanoseconds == 0 && seconds <= uint.MaxValue)
            {
                Span<byte> span32 = _output.GetSpan(6);
                span32[0] = 0xd6;
                span32[1] = 0xff;
                BinaryPrimitives.WriteUInt32BigEndian(span32[2..], (uint)seconds);
                _output.Advance(6);
                return;
            }

            Span<byte> span64 = _output.GetSpan(10);
            span64[0] = 0xd7;
            span64[1] = 0xff;
            BinaryPrimitives.WriteUInt64BigEndian(span64[2..], ((ulong)nanoseconds << 34) | (ulong)seconds);
            _output.Advance(10);
            return;
        }

        Span<byte> span = _output.GetSpan(15);
        span[0] = 0xc7;
        span[1] = 12;
        span[2] = 0xff;
        BinaryPrimitives.WriteUInt32BigEndian(span[3..], nanoseconds);
        BinaryPrimitives.WriteInt64BigEndian(span[7..], seconds);
        _output.Advance(15);
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    // A format without an 8-bit length (arrays, maps) passes code8 = 0; one without a fix form passes fixLimit = 0.
    private void WriteLengthHeader(int length, byte fix, int fixLimit, byte code8, byte code16, byte code32)
    {
        if (length < fixLimit)
        {
            WriteByte((byte)(fix | length));
        }
        else if (code8 != 0 && length <= byte.MaxValue)
        {
            Span<byte> span = _output.GetSpan(2);
            span[0] = code8;
            span[1] = (byte)length;
            _output.Advance(2);
        }
        else if (length <= ushort.MaxValue)
        {
            WriteHeader16(code16, (ushort)length);
        }
        else
        {
            WriteHeader32(code32, (uint)length);
        }
    }

    private void WriteHeader16(byte code, ushort value)
    {
        Span<byte> span = _output.GetSpan(3);
        span[0] = code;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], value);
        _output.Advance(3);
    }

    private void WriteHeader32(byte code, uint value)
    {
        Span<byte> span = _output.GetSpan(5);
        span[0] = code;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], value);
        _output.Advance(5);
    }
}
