using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo.Json;

namespace Signaling.Protocol.MsgPack;

/// <summary>
/// Decodes MessagePack into the JSON value notepack.io 3 gives JavaScript, with the differences that
/// cannot be seen on any wire left out:
/// <list type="bullet">
/// <item>bin and the legacy ArrayBuffer extension (type 0) become <see cref="JTokenType.Bytes"/> values;</item>
/// <item>Timestamps (type -1) and the legacy Date extension (<c>d7 00</c>) become UTC <see cref="JTokenType.Date"/>
/// values, truncated to the millisecond as a JavaScript Date is;</item>
/// <item>other extensions become <c>[type, bytes]</c> arrays, as notepack returns them;</item>
/// <item>the legacy undefined (<c>d4 00 00</c>) becomes null in an array and removes its key from a map, which
/// is what both JSON.stringify and notepack make of an undefined;</item>
/// <item>map keys that are numbers, booleans or nil take their JavaScript string form (<c>1</c> → <c>"1"</c>);
/// a key <c>__proto__</c> is dropped, as assigning it never makes an own property in JavaScript;</item>
/// <item>integers stay exact 64-bit integers (JavaScript rounds past 2^53), floats become doubles.</item>
/// </list>
/// Invalid UTF-8 in strings becomes U+FFFD as in Node.
/// </summary>
public static class NotepackDecoder
{
    /// <summary>Default for the deepest nesting of arrays and maps: room for a client payload inside a cluster envelope.</summary>
    public const int DefaultMaxDepth = 64;

    /// <exception cref="ProtocolException">The bytes are not one complete MessagePack value, nest deeper than
    /// <paramref name="maxDepth"/>, or hold a value JavaScript could not use (a map key that is an array, a date
    /// outside the years 1 to 9999).</exception>
    public static JToken Decode(ReadOnlySpan<byte> bytes, int maxDepth = DefaultMaxDepth)
    {
        var reader = new Reader(bytes, maxDepth);
        JToken value = reader.ReadValue(depth: 0) ?? JValue.CreateNull();
        if (!reader.AtEnd)
        {
            throw new ProtocolException($"MessagePack value followed by {reader.Remaining} trailing bytes");
        }

        return value;
    }

    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private readonly int _maxDepth;
        private int _position;

        public Reader(ReadOnlySpan<byte> bytes, int maxDepth)
        {
            _bytes = bytes;
            _maxDepth = maxDepth;
        }

        public readonly bool AtEnd => _position == _bytes.Length;

        public readonly int Remaining => _bytes.Length - _position;

        /// <summary>The next value; null stands for undefined, which only the caller can place.</summary>
        public JToken? ReadValue(int depth)
        {
            byte prefix = Take(1)[0];
            switch (prefix)
            {
                case < 0x80:
                    return new JValue((long)prefix);
                case < 0x90:
                    return ReadMap(prefix & 0x0f, depth);
                case < 0xa0:
                    return ReadArray(prefix & 0x0f, depth);
                case < 0xc0:
                    return ReadString(prefix & 0x1f);
                case > 0xdf:
                    return new JValue((long)(sbyte)prefix);
            }

            switch (prefix)
            {
                case 0xc0: return JValue.CreateNull();
                case 0xc2: return new JValue(false);
                case 0xc3: return new JValue(true);
                case 0xc4: return new JValue(Take(Take(1)[0]).ToArray());
                case 0xc5: return new JValue(Take(BinaryPrimitives.ReadUInt16BigEndian(Take(2))).ToArray());
                case 0xc6: return new JValue(Take(Length(BinaryPrimitives.ReadUInt32BigEndian(Take(4)))).ToArray());
                case 0xc7: return ReadExtension(Take(1)[0]);
                case 0xc8: return ReadExtension(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
                case 0xc9: return ReadExtension(Length(BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
                case 0xca: return new JValue((double)BinaryPrimitives.ReadSingleBigEndian(Take(4)));
                case 0xcb: return new JValue(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                case 0xcc: return new JValue((long)Take(1)[0]);
                case 0xcd: return new JValue((long)BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
                case 0xce: return new JValue((long)BinaryPrimitives.ReadUInt32BigEndian(Take(4)));
                case 0xcf: return UInt64(BinaryPrimitives.ReadUInt64BigEndian(Take(8)));
                case 0xd0: return new JValue((long)(sbyte)Take(1)[0]);
                case 0xd1: return new JValue((long)BinaryPrimitives.ReadInt16BigEndian(Take(2)));
                case 0xd2: return new JValue((long)BinaryPrimitives.ReadInt32BigEndian(Take(4)));
                case 0xd3: return new JValue(BinaryPrimitives.ReadInt64BigEndian(Take(8)));
                case 0xd4: return ReadFixExtension(1);
                case 0xd5: return ReadFixExtension(2);
                case 0xd6: return ReadFixExtension(4);
                case 0xd7: return ReadFixExtension(8);
                case 0xd8: return ReadFixExtension(16);
                case 0xd9: return ReadString(Take(1)[0]);
                case 0xda: return ReadString(BinaryPrimitives.ReadUInt16BigEndian(Take(2)));
                case 0xdb: return ReadString(Length(BinaryPrimitives.ReadUInt32BigEndian(Take(4))));
                case 0xdc: return ReadArray(BinaryPrimitives.ReadUInt16BigEndian(Take(2)), depth);
                case 0xdd: return ReadArray(Length(BinaryPrimitives.ReadUInt32BigEndian(Take(4))), depth);
                case 0xde: return ReadMap(BinaryPrimitives.ReadUInt16BigEndian(Take(2)), depth);
                case 0xdf: return ReadMap(Length(BinaryPrimitives.ReadUInt32BigEndian(Take(4))), depth);
                default: throw new ProtocolException($"Byte 0x{prefix:x2} at offset {_position - 1} starts no MessagePack value");
            }
        }

        private static JValue UInt64(ulong value) => value <= long.MaxValue ? new JValue((long)value) : new JValue(value);

        private JArray ReadArray(int count, int depth)
        {
            Enter(depth, count);
            var array = new JArray();
            for (int i = 0; i < count; i++)
            {
                array.Add(ReadValue(depth + 1) ?? JValue.CreateNull());
            }

            return array;
        }

        private JObject ReadMap(int count, int depth)
        {
            Enter(depth, 2L * count);
            var map = new JObject();
            for (int i = 0; i < count; i++)
            {
                string key = KeyString(ReadValue(depth + 1));
                JToken? value = ReadValue(depth + 1);
                if (value is null)
                {
                    map.Remove(key); // {a: undefined} has no a on any wire
                }
                else if (key != "__proto__")
                {
                    map[key] = value; // a repeated key keeps its first place and its last value, as in JavaScript
                }
            }

            return map;
        }

        // Every element takes at least one byte: a count the input cannot hold is rejected before any work.
        private readonly void Enter(int depth, long minimumBytes)
        {
            if (depth >= _maxDepth)
            {
                throw new ProtocolException($"MessagePack value nests deeper than {_maxDepth} arrays and maps");
            }

            if (minimumBytes > Remaining)
            {
                throw new ProtocolException($"MessagePack collection announces more elements than its {Remaining} remaining bytes hold");
            }
        }

        private static string KeyString(JToken? key) => key switch
        {
            null => "undefined",
            JValue { Value: string text } => text,
            JValue { Value: null } => "null",
            JValue { Value: bool flag } => flag ? "true" : "false",
            JValue { Value: long number } => number.ToString(CultureInfo.InvariantCulture),
            JValue { Value: ulong number } => JsNumberFormat.ToJsString(number),
            JValue { Value: double number } => JsNumberFormat.ToJsString(number),
            _ => throw new ProtocolException($"MessagePack map key of type {key.Type} has no JavaScript property name"),
        };

        private JValue ReadString(int length) => new(Encoding.UTF8.GetString(Take(length)));

        private JToken? ReadFixExtension(int length)
        {
            sbyte type = (sbyte)Take(1)[0];
            ReadOnlySpan<byte> data = Take(length);
            return (type, length) switch
            {
                (0, 1) => null, // notepack 2's undefined
                (0, 8) => Date(BinaryPrimitives.ReadInt64BigEndian(data)), // notepack 2's Date: milliseconds
                (-1, 4) => Date(BinaryPrimitives.ReadUInt32BigEndian(data) * 1e3),
                (-1, 8) => Timestamp64(BinaryPrimitives.ReadUInt64BigEndian(data)),
                _ => Other(type, data),
            };
        }

        private JToken ReadExtension(int length)
        {
            sbyte type = (sbyte)Take(1)[0];
            ReadOnlySpan<byte> data = Take(length);
            switch (type)
            {
                case 0:
                    return new JValue(data.ToArray()); // notepack 2's ArrayBuffer
                case -1 when length == 12:
                    uint nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(data);
                    long seconds = BinaryPrimitives.ReadInt64BigEndian(data[4..]);
                    return Date((seconds * 1e3) + (nanoseconds / 1e6));
                case -1:
                    throw new ProtocolException($"MessagePack timestamp of {length} bytes (notepack reads only 12 after c7)");
                default:
                    return Other(type, data);
            }
        }

        private static JValue Timestamp64(ulong value)
        {
            ulong seconds = value & 0x3_ffff_ffffUL;
            ulong nanoseconds = value >> 34;
            return Date((seconds * 1e3) + (nanoseconds / 1e6)); // in doubles, as notepack computes it
        }

        private static JValue Date(double milliseconds) =>
            JsDate.FromUnixMilliseconds(milliseconds) is { } date
                ? new JValue(date)
                : throw new ProtocolException($"MessagePack timestamp {milliseconds} ms is outside the years 1 to 9999");

        private static JArray Other(sbyte type, ReadOnlySpan<byte> data) => [new JValue((long)type), new JValue(data.ToArray())];

        private readonly int Length(uint length) =>
            length <= int.MaxValue ? (int)length : throw new ProtocolException($"MessagePack length {length} exceeds the {Remaining} remaining bytes");

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > Remaining)
            {
                throw new ProtocolException($"MessagePack value truncated: {count} bytes needed at offset {_position}, {Remaining} left");
            }

            ReadOnlySpan<byte> span = _bytes.Slice(_position, count);
            _position += count;
            return span;
        }
    }
}
