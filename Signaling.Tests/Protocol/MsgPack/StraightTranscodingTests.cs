using System.Buffers;
using System.Globalization;
using System.Text;
using Newtonsoft.Json.Linq;
using Signaling.Protocol;
using Signaling.Protocol.MsgPack;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.MsgPack;

/// <summary>
/// The relay's cross-node path without token trees (JsonNotepack on the way out, NotepackJson on the way in)
/// against the tree path it stands for: whenever a fast path writes something, it is byte for byte what the
/// tree path writes, and what it turns down is what the tree path treats specially. The tree path itself is
/// checked against Node in NotepackInteropTests and OfficialParserInteropTests.
/// </summary>
public sealed class StraightTranscodingTests
{
    private static readonly DecodeLimits Limits = DecodeLimits.Default;

    [Test]
    public void Random_json_goes_to_the_messagepack_the_tree_path_writes([Range(0, 19)] int seed)
    {
        var random = new Random(seed);
        int written = 0;
        for (int i = 0; i < 200; i++)
        {
            string json = RandomJson(random, depth: 0);
            string text = "2[\"ev\"," + json + "]";
            JArray? tree = TryTreeOf(text);
            var fast = new ArrayBufferWriter<byte>();
            if (JsonNotepack.TryWrite(text, 1, Limits.MaxJsonDepth, fast))
            {
                written++;
                Assert.That(tree, Is.Not.Null, text);
                Assert.That(Convert.ToHexString(fast.WrittenSpan), Is.EqualTo(Convert.ToHexString(NotepackEncoder.Encode(tree!))), text);
            }
            else
            {
                Assert.That(fast.WrittenCount, Is.Zero, text);
            }
        }

        // Most random values hold nothing the fast path leaves to the tree.
        Assert.That(written, Is.GreaterThan(120));
    }

    [TestCase("{\"a\":1,\"a\":2}", TestName = "A repeated name")]
    [TestCase("{\"\\u0061\":1}", TestName = "An escaped name")]
    [TestCase("123456789012345678901234567890", TestName = "An integer past 64 bits")]
    [TestCase("1e400", TestName = "A number past a double")]
    public void What_the_tree_path_treats_specially_is_left_to_it(string json)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Multiple(() =>
        {
            Assert.That(JsonNotepack.TryWrite("2[\"ev\"," + json + "]", 1, Limits.MaxJsonDepth, output), Is.False);
            Assert.That(output.WrittenCount, Is.Zero);
        });
    }

    [Test]
    public void An_object_of_many_members_is_left_to_the_tree_path()
    {
        string json = "{" + string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"k{i}\":{i}")) + "}";
        Assert.That(JsonNotepack.TryWrite(json, 0, Limits.MaxJsonDepth, new ArrayBufferWriter<byte>()), Is.False);
    }

    [Test]
    public void Random_messagepack_goes_to_the_json_the_tree_path_writes([Range(0, 19)] int seed)
    {
        var random = new Random(seed);
        int written = 0;
        for (int i = 0; i < 200; i++)
        {
            if (TryTreeOf("2[\"ev\"," + RandomJson(random, depth: 0) + "]") is not { } tree)
            {
                continue; // repeated names: JSON no JavaScript writes
            }

            byte[] bytes = NotepackEncoder.Encode(tree);
            if (TryJson(bytes) is { } fast)
            {
                written++;
                Assert.That(fast, Is.EqualTo(TreeJson(bytes)));
            }
        }

        Assert.That(written, Is.GreaterThan(120));
    }

    [TestCase("92a26576c40101", TestName = "Binary")]
    [TestCase("92a26576d6ff00000000", TestName = "A date")]
    [TestCase("92a2657681a16192d40000c0", TestName = "An undefined")]
    [TestCase("92a265768101c3", TestName = "A key that is a number")]
    [TestCase("92a2657682a16101a16102", TestName = "A repeated key")]
    [TestCase("92a2657681a95f5f70726f746f5f5f01", TestName = "A __proto__ key")]
    [TestCase("92a26576cfffffffffffffffff", TestName = "An integer past a long")]
    [TestCase("92a26576a5616263", TestName = "A string cut short")]
    public void What_the_tree_path_reads_specially_is_left_to_it(string hex) =>
        Assert.That(TryJson(Convert.FromHexString(hex)), Is.Null);

    [TestCase("92a26576ca3fc00000", "[\"ev\",1.5]", TestName = "A float32")]
    [TestCase("92a26576cb7ff8000000000000", "[\"ev\",null]", TestName = "NaN")]
    [TestCase("92a26576a3ff6162", "[\"ev\",\"\ufffdab\"]", TestName = "Invalid UTF-8")]
    [TestCase("92a26576a30a225c", "[\"ev\",\"\\n\\\"\\\\\"]", TestName = "Escapes")]
    [TestCase("92a26576d3fffffffffffffffe", "[\"ev\",-2]", TestName = "An int64")]
    public void Numbers_and_strings_come_out_as_json_stringify_writes_them(string hex, string json)
    {
        byte[] bytes = Convert.FromHexString(hex);
        Assert.Multiple(() =>
        {
            Assert.That(TryJson(bytes), Is.EqualTo(json));
            Assert.That(TreeJson(bytes), Is.EqualTo(json));
        });
    }

    [Test]
    public void Nesting_past_the_limit_is_left_to_the_tree_path()
    {
        byte[] nested = NotepackEncoder.Encode(JToken.Parse(new string('[', 5) + new string(']', 5)));
        var output = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(NotepackJson.TryWrite(nested, 4, output), Is.False);
            Assert.That(output.ToString(), Is.Empty);
            Assert.That(NotepackJson.TryWrite(nested, 5, output), Is.True);
        });
    }

    /// <summary>The tree the decoder builds; null for what it refuses (repeated names).</summary>
    private static JArray? TryTreeOf(string text)
    {
        try
        {
            return (JArray)new SocketPacketDecoder(SocketIoVersion.V5, Limits).Decode(text)!.Data!;
        }
        catch (ProtocolException)
        {
            return null;
        }
    }

    private static string? TryJson(byte[] bytes)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        return NotepackJson.TryWrite(bytes, Limits.MaxJsonDepth, output) ? output.ToString() : null;
    }

    private static string TreeJson(byte[] bytes) =>
        SocketPacketEncoder.Encode(new SocketPacket { Type = SocketPacketType.Event, Data = NotepackDecoder.Decode(bytes) }, SocketIoVersion.V5).Text[1..];

    /// <summary>JSON as clients write it, and now and then what JSON allows and JSON.stringify never writes.</summary>
    private static string RandomJson(Random random, int depth)
    {
        switch (random.Next(depth < 4 ? 12 : 8))
        {
            case 0: return "null";
            case 1: return random.Next(2) == 0 ? "true" : "false";
            case 2: return RandomNumber(random);
            case 3 or 4: return Quoted(RandomString(random));
            case 5: return random.Next(3) == 0 ? "\"a\\u00e9\\ud83d\\ude00\\/\\b\"" : "\"\\ud800 lone\"";
            case 6: return " " + RandomNumber(random) + " ";
            case 7: return "\"" + new string('x', random.Next(0, 300)) + "\"";
            case 8 or 9:
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 6)).Select(_ => RandomJson(random, depth + 1))) + "]";
            default:
                int members = random.Next(20) == 0 ? random.Next(30, 36) : random.Next(0, 6);
                var names = Enumerable.Range(0, members).Select(i => random.Next(15) == 0 ? "k0" : "k" + i);
                return "{" + string.Join(",", names.Select(name => Quoted(name) + ":" + RandomJson(random, depth + 1))) + "}";
        }
    }

    private static string RandomNumber(Random random) => random.Next(9) switch
    {
        0 => random.Next(-40000, 70000).ToString(CultureInfo.InvariantCulture),
        1 => random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
        2 => (random.NextDouble() * Math.Pow(10, random.Next(-10, 25))).ToString("R", CultureInfo.InvariantCulture),
        3 => "-0",
        4 => "1.0",
        5 => "2E3",
        6 => "18446744073709551616",
        7 => "1e308",
        _ => random.Next(0, 300).ToString(CultureInfo.InvariantCulture),
    };

    private static string RandomString(Random random)
    {
        var text = new StringBuilder();
        for (int length = random.Next(0, 12); text.Length < length;)
        {
            text.Append(random.Next(4) switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => (char)random.Next(0xa0, 0x800),
                2 => (char)random.Next(0x800, 0xd800),
                _ => '\u00e9',
            });
        }

        return text.ToString();
    }

    private static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
