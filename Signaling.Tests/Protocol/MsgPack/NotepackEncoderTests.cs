using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;

namespace Signaling.Tests.Protocol.MsgPack;

/// <summary>
/// The encodings notepack.io 3 picks, from its lib/encode.js and the vectors captured from the Node
/// adapter and emitter in shared/REDIS-WIRE.md; NotepackInteropTests checks the same against Node itself.
/// </summary>
public sealed class NotepackEncoderTests
{
    [Test]
    public void A_broadcast_of_the_classic_adapter_is_encoded_as_node_published_it()
    {
        // REDIS-WIRE.md vector 1: io.emit("hello","world",1,1.5,{a:[true,null]}) from uid CtYkUi.
        var message = new JArray(
            "CtYkUi",
            new JObject { ["type"] = 2, ["data"] = new JArray("hello", "world", 1, 1.5, new JObject { ["a"] = new JArray(true, JValue.CreateNull()) }), ["nsp"] = "/" },
            new JObject { ["rooms"] = new JArray(), ["except"] = new JArray(), ["flags"] = new JObject() });

        Assert.That(Hex(message), Is.EqualTo(
            "93a64374596b5569" + "83a47479706502" + "a46461746195a568656c6c6fa5776f726c6401cb3ff800000000000081a16192c3c0" + "a36e7370a12f"
            + "83a5726f6f6d7390a665786365707490a5666c61677380"));
    }

    [Test]
    public void Binary_and_dates_nested_in_the_data_are_bin_and_timestamps()
    {
        // REDIS-WIRE.md vector 4: io.to("room1").emit("bin", Buffer.from([1,2]), {d: new Date(0)}) from uid FmXscg.
        var message = new JArray(
            "FmXscg",
            new JObject { ["type"] = 2, ["data"] = new JArray("bin", new byte[] { 1, 2 }, new JObject { ["d"] = DateTime.UnixEpoch }), ["nsp"] = "/" },
            new JObject { ["rooms"] = new JArray("room1"), ["except"] = new JArray(), ["flags"] = new JObject() });

        Assert.That(Hex(message), Is.EqualTo(
            "93a6466d5873636783a47479706502a46461746193a362696ec402010281a164d6ff00000000a36e7370a12f83a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380"));
    }

    [TestCase(0L, "00")]
    [TestCase(127L, "7f")]
    [TestCase(128L, "cc80")]
    [TestCase(255L, "ccff")]
    [TestCase(256L, "cd0100")]
    [TestCase(65535L, "cdffff")]
    [TestCase(65536L, "ce00010000")]
    [TestCase(4294967295L, "ceffffffff")]
    [TestCase(4294967296L, "cf0000000100000000")]
    [TestCase(-1L, "ff")]
    [TestCase(-32L, "e0")]
    [TestCase(-33L, "d0df")]
    [TestCase(-128L, "d080")]
    [TestCase(-129L, "d1ff7f")]
    [TestCase(-32768L, "d18000")]
    [TestCase(-32769L, "d2ffff7fff")]
    [TestCase(-2147483648L, "d280000000")]
    [TestCase(-2147483649L, "d3ffffffff7fffffff")]
    public void Integers_take_the_smallest_format_unsigned_from_zero(long value, string hex)
    {
        Assert.That(Hex(new JValue(value)), Is.EqualTo(hex));
        Assert.That(Hex(new JValue((double)value)), Is.EqualTo(hex), "a JavaScript number has no int/float distinction");
    }

    [Test]
    public void Unsigned_64_bit_integers_use_uint64()
    {
        Assert.That(Hex(new JValue(ulong.MaxValue)), Is.EqualTo("cfffffffffffffffff"));
    }

    [TestCase(1.5, "cb3ff8000000000000")]
    [TestCase(-0.5, "cbbfe0000000000000")]
    [TestCase(double.NaN, "cb7ff8000000000000")]
    [TestCase(double.PositiveInfinity, "cb7ff0000000000000")]
    [TestCase(1e20, "cb4415af1d78b58c40")]
    [TestCase(18446744073709551616.0, "cb43f0000000000000")]
    [TestCase(-0.0, "00")]
    public void Numbers_are_integers_when_integral_and_float64_otherwise(double value, string hex)
    {
        // 2^64 and past: notepack would wrap modulo 2^64 (2^64 becomes cf00..00, that is 0); float64 keeps the value.
        Assert.That(Hex(new JValue(value)), Is.EqualTo(hex));
    }

    [TestCase(0, "a0")]
    [TestCase(31, "bf")]
    [TestCase(32, "d920")]
    [TestCase(255, "d9ff")]
    [TestCase(256, "da0100")]
    [TestCase(65535, "daffff")]
    [TestCase(65536, "db00010000")]
    public void String_headers_follow_the_utf8_length(int length, string header)
    {
        Assert.That(Hex(new JValue(new string('x', length))), Does.StartWith(header).And.Length.EqualTo(header.Length + (2 * length)));
    }

    [Test]
    public void Strings_are_utf8_and_their_length_counts_bytes()
    {
        Assert.That(Hex(new JValue("é😀")), Is.EqualTo("a6c3a9f09f9880"));
    }

    [TestCase(0, "c400")]
    [TestCase(255, "c4ff")]
    [TestCase(256, "c50100")]
    [TestCase(65536, "c600010000")]
    public void Buffers_are_bin_with_the_smallest_header(int length, string header)
    {
        Assert.That(Hex(new JValue(new byte[length])), Does.StartWith(header).And.Length.EqualTo(header.Length + (2 * length)));
    }

    [Test]
    public void Array_and_map_headers_switch_to_16_bits_at_16_elements()
    {
        Assert.That(Hex(new JArray(Enumerable.Repeat(0, 15))), Does.StartWith("9f"));
        Assert.That(Hex(new JArray(Enumerable.Repeat(0, 16))), Does.StartWith("dc0010"));
        Assert.That(Hex(new JObject(Enumerable.Range(0, 15).Select(i => new JProperty($"k{i}", 0)))), Does.StartWith("8f"));
        Assert.That(Hex(new JObject(Enumerable.Range(0, 16).Select(i => new JProperty($"k{i}", 0)))), Does.StartWith("de0010"));
    }

    [Test]
    public void Undefined_is_nil_in_an_array_and_left_out_of_an_object()
    {
        var value = new JArray(JValue.CreateUndefined(), new JObject { ["a"] = JValue.CreateUndefined(), ["b"] = 1 });
        Assert.That(Hex(value), Is.EqualTo("92c081a16201"));
    }

    [TestCase(0L, "d6ff00000000")]
    [TestCase(1700000000000L, "d6ff6553f100")]
    [TestCase(1700000000123L, "d7ff1d5353006553f100")]
    [TestCase(-1L, "c70cff3b8b87c0ffffffffffffffff")]
    [TestCase(20000000000000L, "c70cff0000000000000004a817c800")]
    public void Dates_are_timestamps_of_32_64_or_96_bits(long unixMilliseconds, string hex)
    {
        var date = DateTime.UnixEpoch.AddTicks(unixMilliseconds * TimeSpan.TicksPerMillisecond);
        Assert.That(Hex(new JValue(date)), Is.EqualTo(hex));
        Assert.That(Hex(new JValue(new DateTimeOffset(date).ToOffset(TimeSpan.FromHours(2)))), Is.EqualTo(hex));
    }

    [Test]
    public void Sub_millisecond_ticks_are_dropped_as_a_javascript_date_cannot_hold_them()
    {
        var date = DateTime.UnixEpoch.AddTicks((1700000000123L * TimeSpan.TicksPerMillisecond) + 9999);
        Assert.That(Hex(new JValue(date)), Is.EqualTo("d7ff1d5353006553f100"));
        Assert.That(Hex(new JValue(DateTime.UnixEpoch.AddTicks(-1))), Is.EqualTo("c70cff3b8b87c0ffffffffffffffff"));
    }

    [Test]
    public void Tokens_javascript_has_no_value_for_are_refused()
    {
        Assert.Throws<ArgumentException>(() => NotepackEncoder.Encode(new JValue(TimeSpan.FromSeconds(1))));
        Assert.Throws<ArgumentException>(() => NotepackEncoder.Encode(new JConstructor("Date", 0)));
    }

    private static string Hex(JToken value) => Convert.ToHexStringLower(NotepackEncoder.Encode(value));
}
