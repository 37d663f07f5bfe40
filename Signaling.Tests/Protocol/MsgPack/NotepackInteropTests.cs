using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Protocol;
using Signaling.Protocol.MsgPack;

namespace Signaling.Tests.Protocol.MsgPack;

/// <summary>
/// The C# codec against the real notepack.io 3.0.1 in Node (js/notepack-bridge.js): for each value, the
/// bytes Node writes are the bytes C# writes, and each side decodes the other's bytes to the same value.
/// </summary>
[NonParallelizable]
public sealed class NotepackInteropTests
{
    private NotepackBridge _node = null!;

    [OneTimeSetUp]
    public void StartNode() => _node = NotepackBridge.Start();

    [OneTimeTearDown]
    public async Task StopNode() => await _node.DisposeAsync();

    private static readonly string[] Corpus =
    [
        "[\"hello\",\"world\",1,1.5,{\"a\":[true,null]}]",
        "[0,127,128,255,256,65535,65536,4294967295,4294967296,9007199254740991,-1,-32,-33,-128,-129,-32768,-32769,-2147483648,-2147483649,-9007199254740991]",
        "[0.1,-0.5,1e-7,1.5e-300,5e-324,9.2e18,{\"$number\":\"NaN\"},{\"$number\":\"Infinity\"},{\"$number\":\"-Infinity\"},{\"$number\":\"-0\"}]",
        "[\"\",\"é\",\"😀\",\"日本語\",\"a\\u0000b\",\"\\t\\n\"]",
        "[{\"$binary\":\"\"},{\"$binary\":\"AQID\"},{\"d\":{\"$date\":0}},{\"$date\":1700000000123},{\"$date\":-1},{\"$date\":-62135596800000},{\"$date\":253402300799999},{\"$date\":17179869183000},{\"$date\":17179869184000}]",
        "[{\"$undefined\":true},{\"a\":{\"$undefined\":true},\"b\":[{\"$undefined\":true}]}]",
        "{\"type\":2,\"data\":[\"offer\",\"AAAAAAAAAAAAAAAAAAAA\",{\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\",\"type\":\"offer\"}],\"nsp\":\"/\"}",
    ];

    [TestCaseSource(nameof(Corpus))]
    public async Task Node_and_csharp_write_the_same_bytes_and_read_each_others(string taggedJson)
    {
        await AssertSameBytesBothWays(NotepackBridge.Parse($"{{\"v\":{taggedJson}}}")["v"]!);
    }

    [Test]
    public async Task Lengths_around_every_header_boundary_match([Values(15, 16, 31, 32, 255, 256, 65535, 65536)] int length)
    {
        var value = new JObject
        {
            ["str"] = new string('x', length),
            ["bin"] = new JObject { ["$binary"] = Convert.ToBase64String(new byte[length]) },
            ["arr"] = new JArray(Enumerable.Repeat(0, length)),
            ["map"] = new JObject(Enumerable.Range(0, Math.Min(length, 300)).Select(i => new JProperty($"k{i}", i))),
        };
        await AssertSameBytesBothWays(value);
    }

    [Test]
    public async Task Random_values_match_byte_for_byte([Range(0, 9)] int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 30; i++)
        {
            await AssertSameBytesBothWays(RandomValue(random, depth: 0));
        }
    }

    [TestCase(1e20)]
    [TestCase(-1e20)]
    [TestCase(1.5e300)]
    public async Task Integral_numbers_past_64_bits_stay_float64_where_notepack_wraps_them(double value)
    {
        // notepack writes 2^64 and up as uint64 modulo 2^64 (and below -2^63 as int64 wrapped): the receiver
        // gets another number. We write float64 and the value arrives; a deliberate difference of bytes.
        byte[] nodeBytes = Convert.FromHexString(await _node.EncodeAsync(new JValue(value)));
        Assert.That(nodeBytes[0], Is.AnyOf(0xcf, 0xd3));
        Assert.That((double)NotepackDecoder.Decode(nodeBytes), Is.Not.EqualTo(value), "notepack's own bytes lose the value");

        byte[] ours = NotepackEncoder.Encode(new JValue(value));
        Assert.That(ours[0], Is.EqualTo(0xcb));
        Assert.That((double?)(await _node.DecodeAsync(ours))["value"], Is.EqualTo(value));
    }

    private static readonly string[] OddBytes =
    [
        "a3ff6180", "a4eda080" + "61", "a3c0af61", "a4f0908061", // invalid UTF-8: overlong, surrogate, truncated sequences
        "92d4000001", "82a161d40000a16201", "c70300010203", "d5050102", "d8ff" + "00112233445566778899aabbccddeeff",
        "d7000000018bcfe5687b", "d7ffee6b27fc00000001", "c70cff3b9328e0ffffffffffffffff", "ca3fc00000", "cb3ff0000000000000",
        "8501a161cb3ff8000000000000a162c3a163c0a164cb8000000000000000a165", "84a16101a16202a16103a95f5f70726f746f5f5f80",
        "", "c1", "0000", "92", "c40501", "8192a16101",
    ];

    [TestCaseSource(nameof(OddBytes))]
    public async Task Bytes_notepack_never_writes_decode_as_notepack_decodes_them_or_are_refused_by_both(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);
        JObject node = await _node.DecodeAsync(bytes);
        JToken? ours = null;
        ProtocolException? refused = null;
        try
        {
            ours = NotepackDecoder.Decode(bytes);
        }
        catch (ProtocolException e)
        {
            refused = e;
        }

        if (node["error"] is { } error)
        {
            Assert.That(refused, Is.Not.Null, $"notepack refused ({error}) what C# decoded as {ours}");
        }
        else
        {
            Assert.That(refused, Is.Null, $"C# refused what notepack decoded as {node["value"]}");
            AssertSameValue(TaggedJson.FromCodec(ours!), WhatJsonSees(node["value"]!), hex);
        }
    }

    private async Task AssertSameBytesBothWays(JToken tagged)
    {
        JToken value = TaggedJson.ToCodec(tagged);
        string nodeHex = await _node.EncodeAsync(tagged);
        string ourHex = Convert.ToHexStringLower(NotepackEncoder.Encode(value));
        Assert.That(ourHex, Is.EqualTo(nodeHex), $"encoding {tagged.ToString(Formatting.None)}");

        JObject nodeDecoded = await _node.DecodeAsync(Convert.FromHexString(ourHex));
        JToken ourDecoded = TaggedJson.FromCodec(NotepackDecoder.Decode(Convert.FromHexString(nodeHex)));
        AssertSameValue(ourDecoded, nodeDecoded["value"]!, nodeHex);
    }

    // Tagged JSON compared as JavaScript sees it: numbers as doubles (JavaScript prints 2^60 + 1 as 2^60) and
    // keys in any order (JavaScript lists integer-like keys first; we keep the wire's order).
    private static void AssertSameValue(JToken ours, JToken node, string hex) =>
        Assert.That(Canonical(ours).ToString(Formatting.None), Is.EqualTo(Canonical(node).ToString(Formatting.None)), $"decoding {hex}");

    private static JToken Canonical(JToken value) => value switch
    {
        JArray array => new JArray(array.Select(Canonical)),
        JObject obj => new JObject(obj.Properties().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new JProperty(p.Name, Canonical(p.Value)))),
        JValue { Type: JTokenType.Integer or JTokenType.Float } number => new JValue(((double)number).ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        _ => value,
    };

    // The decoder gives what an undefined becomes on every wire: null in an array, nothing in an object.
    private static JToken WhatJsonSees(JToken tagged) => tagged switch
    {
        JObject { Count: 1 } obj when obj["$undefined"] is not null => JValue.CreateNull(),
        JArray array => new JArray(array.Select(WhatJsonSees)),
        JObject obj => new JObject(obj.Properties()
            .Where(p => p.Value is not JObject { Count: 1 } inner || inner["$undefined"] is null)
            .Select(p => new JProperty(p.Name, WhatJsonSees(p.Value)))),
        _ => tagged,
    };

    private static JToken RandomValue(Random random, int depth)
    {
        int kind = random.Next(depth < 4 ? 11 : 8);
        return kind switch
        {
            0 => JValue.CreateNull(),
            1 => new JValue(random.Next(2) == 0),
            2 => new JValue(RandomInteger(random)),
            3 => new JValue((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-10, 19))), // integral ones stay below 2^63
            4 or 5 => new JValue(RandomString(random)),
            6 => new JObject { ["$binary"] = Convert.ToBase64String(RandomBytes(random)) },
            7 => new JObject { ["$date"] = random.NextInt64(-62135596800000, 253402300799999) },
            8 or 9 => new JArray(Enumerable.Range(0, RandomCount(random)).Select(_ => RandomValue(random, depth + 1))),
            _ => RandomObject(random, depth),
        };
    }

    private static JObject RandomObject(Random random, int depth)
    {
        var obj = new JObject();
        int count = RandomCount(random);
        for (int i = 0; i < count; i++)
        {
            // A letter first: JavaScript lists integer-like keys before the others, whatever the insertion order.
            obj["k" + RandomString(random)] = RandomValue(random, depth + 1);
        }

        return obj;
    }

    private static long RandomInteger(Random random) => random.Next(6) switch
    {
        0 => random.Next(-32, 128),
        1 => random.Next(-40000, 70000),
        2 => random.NextInt64(-3_000_000_000, 5_000_000_000),
        3 => random.NextInt64(-(1L << 53) + 1, 1L << 53),
        _ => random.Next(0, 300) - 150,
    };

    private static int RandomCount(Random random) => random.Next(10) == 0 ? random.Next(16, 40) : random.Next(0, 6);

    private static string RandomString(Random random)
    {
        int length = random.Next(10) == 0 ? random.Next(30, 300) : random.Next(0, 12);
        var text = new System.Text.StringBuilder();
        while (text.Length < length)
        {
            switch (random.Next(4))
            {
                case 0: text.Append((char)random.Next(0x20, 0x7f)); break;
                case 1: text.Append((char)random.Next(0xa0, 0x800)); break;
                case 2: text.Append((char)random.Next(0x800, 0xd800)); break;
                default: text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x10ffff))); break;
            }
        }

        return text.ToString();
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(10) == 0 ? random.Next(256, 2000) : random.Next(0, 40)];
        random.NextBytes(bytes);
        return bytes;
    }
}
