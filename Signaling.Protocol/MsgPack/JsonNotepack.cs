using System.Buffers;
using System.Globalization;
using Signaling.Protocol.SocketIo.Json;

namespace Signaling.Protocol.MsgPack;

/// <summary>
/// Writes a JSON text straight as the MessagePack that <see cref="NotepackEncoder"/> writes for its token
/// tree, without building the tree: relayed events cross to other nodes this way. Two scans, since a
/// MessagePack header comes before its members: the first counts every array's and object's members and
/// turns down (false, nothing written) what the tree path treats specially, which then takes over: a
/// property name repeated or escaped within one object, objects of more than <see cref="MaxMembers"/>
/// members, integers past 64 bits, numbers out of the range of a double.
/// </summary>
internal static class JsonNotepack
{
    /// <summary>Larger objects are left to the tree path, whose check for repeated names is a lookup.</summary>
    private const int MaxMembers = 32;

    /// <param name="text">Holds one JSON value, already validated, at <paramref name="start"/>.</param>
    /// <param name="start">Where the value starts.</param>
    /// <param name="maxDepth">How many arrays and objects deep the value may nest.</param>
    /// <param name="output">Where the MessagePack goes.</param>
    /// <exception cref="ProtocolException">The text is not JSON after all.</exception>
    public static bool TryWrite(string text, int start, int maxDepth, IBufferWriter<byte> output)
    {
        var counter = new Counter(text, maxDepth);
        try
        {
            StrictJson.ParseValue(text, start, maxDepth, ref counter);
            if (counter.Unsupported)
            {
                return false;
            }

            var writer = new Writer(new MsgPackWriter(output), counter.Counts);
            StrictJson.ParseValue(text, start, maxDepth, ref writer);
            return true;
        }
        finally
        {
            counter.Return();
        }
    }

    private static bool TryParseNumber(ReadOnlySpan<char> text, bool integer, out long whole, out double number)
    {
        number = 0;
        if (integer)
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out whole);
        }

        whole = 0;
        number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(number);
    }

    /// <summary>The first scan: the member count of every container, in the order they open.</summary>
    private struct Counter : IJsonSink
    {
        private readonly string _text;
        // Per open level: its container's index in Counts, whether it is an object, where its names start in _names.
        private readonly int[] _open;
        private readonly bool[] _isObject;
        private readonly int[] _firstName;
        private (int Start, int Length)[] _names;
        private int _nameCount;
        private int _depth;
        private int _containers;

        public Counter(string text, int maxDepth)
        {
            _text = text;
            _open = ArrayPool<int>.Shared.Rent(maxDepth + 1);
            _isObject = ArrayPool<bool>.Shared.Rent(maxDepth + 1);
            _firstName = ArrayPool<int>.Shared.Rent(maxDepth + 1);
            _names = ArrayPool<(int, int)>.Shared.Rent(16);
            Counts = ArrayPool<int>.Shared.Rent(16);
        }

        public int[] Counts { get; private set; }

        public bool Unsupported { get; private set; }

        public readonly void Return()
        {
            ArrayPool<int>.Shared.Return(_open);
            ArrayPool<bool>.Shared.Return(_isObject);
            ArrayPool<int>.Shared.Return(_firstName);
            ArrayPool<(int, int)>.Shared.Return(_names);
            ArrayPool<int>.Shared.Return(Counts);
        }

        public void StartArray() => Open(isObject: false);

        public void EndArray() => _depth--;

        public void StartObject() => Open(isObject: true);

        public void EndObject()
        {
            _depth--;
            _nameCount = _firstName[_depth];
        }

        public void PropertyName(ReadOnlySpan<char> raw, bool escaped)
        {
            int container = _open[_depth - 1];
            int first = _firstName[_depth - 1];
            if (escaped || ++Counts[container] > MaxMembers || !_text.AsSpan().Overlaps(raw, out int offset))
            {
                Unsupported = true;
                return;
            }

            for (int i = first; i < _nameCount; i++)
            {
                if (_text.AsSpan(_names[i].Start, _names[i].Length).SequenceEqual(raw))
                {
                    Unsupported = true;
                    return;
                }
            }

            Grow(ref _names, _nameCount);
            _names[_nameCount++] = (offset, raw.Length);
        }

        public void String(ReadOnlySpan<char> raw, bool escaped) => Item();

        public void Number(ReadOnlySpan<char> text, bool integer)
        {
            Item();
            if (!TryParseNumber(text, integer, out _, out _))
            {
                Unsupported = true;
            }
        }

        public void Literal(JsonLiteral literal) => Item();

        private void Open(bool isObject)
        {
            Item();
            int[] counts = Counts;
            Grow(ref counts, _containers);
            Counts = counts;
            Counts[_containers] = 0;
            _open[_depth] = _containers++;
            _isObject[_depth] = isObject;
            _firstName[_depth] = _nameCount;
            _depth++;
        }

        /// <summary>A value: one more item of the array it is in (an object's members are counted by their names).</summary>
        private readonly void Item()
        {
            if (_depth > 0 && !_isObject[_depth - 1])
            {
                Counts[_open[_depth - 1]]++;
            }
        }

        private static void Grow<T>(ref T[] array, int used)
        {
            if (used < array.Length)
            {
                return;
            }

            T[] grown = ArrayPool<T>.Shared.Rent(array.Length * 2);
            array.AsSpan().CopyTo(grown);
            ArrayPool<T>.Shared.Return(array);
            array = grown;
        }
    }

    /// <summary>The second scan: every value written, headers from the counts of the first.</summary>
    private struct Writer(MsgPackWriter output, int[] counts) : IJsonSink
    {
        private int _next;

        public void StartArray() => output.WriteArrayHeader(counts[_next++]);

        public readonly void EndArray()
        {
        }

        public void StartObject() => output.WriteMapHeader(counts[_next++]);

        public readonly void EndObject()
        {
        }

        public readonly void PropertyName(ReadOnlySpan<char> raw, bool escaped) => output.WriteString(raw);

        public readonly void String(ReadOnlySpan<char> raw, bool escaped) =>
            output.WriteString(escaped ? StrictJson.DecodeString(raw, escaped) : raw);

        public readonly void Number(ReadOnlySpan<char> text, bool integer)
        {
            TryParseNumber(text, integer, out long whole, out double number);
            if (integer)
            {
                output.WriteInteger(whole);
            }
            else
            {
                output.WriteNumber(number);
            }
        }

        public readonly void Literal(JsonLiteral literal)
        {
            switch (literal)
            {
                case JsonLiteral.True:
                    output.WriteBoolean(true);
                    break;
                case JsonLiteral.False:
                    output.WriteBoolean(false);
                    break;
                default:
                    output.WriteNil();
                    break;
            }
        }
    }
}
