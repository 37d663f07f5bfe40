using Newtonsoft.Json.Linq;
using Signaling.Protocol;
using Signaling.Protocol.MsgPack;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.MsgPack;

/// <summary>What notepack.io 3's lib/decode.js gives JavaScript, as JSON tokens; and the bytes it rejects.</summary>
public sealed class NotepackDecoderTests
{
    [Test]
    public void An_emitter_broadcast_decodes_to_its_uid_packet_and_options()
    {
        // REDIS-WIRE.md: the emitter's io.of("/chat").emit("e3", Buffer.from([9])) except "r".
        var message = Decode("93a7656d697474657283a47479706502a46461746192a26533c40109a36e7370a52f6368617483a5726f6f6d7390a5666c61677380a665786365707491a172");

        var expected = new JArray(
            "emitter",
            new JObject { ["type"] = 2, ["data"] = new JArray("e3", new byte[] { 9 }), ["nsp"] = "/chat" },
            new JObject { ["rooms"] = new JArray(), ["flags"] = new JObject(), ["except"] = new JArray("r") });
        Assert.That(JToken.DeepEquals(message, expected), Is.True, message.ToString());
        Assert.That(message[1]!["data"]![1]!.Type, Is.EqualTo(JTokenType.Bytes));
    }

    [TestCase("7f", 127L)]
    [TestCase("e0", -32L)]
    [TestCase("ccff", 255L)]
    [TestCase("cdffff", 65535L)]
    [TestCase("ceffffffff", 4294967295L)]
    [TestCase("cf7fffffffffffffff", long.MaxValue)]
    [TestCase("d080", -128L)]
    [TestCase("d18000", -32768L)]
    [TestCase("d280000000", -2147483648L)]
    [TestCase("d38000000000000000", long.MinValue)]
    public void Integers_of_every_width_are_exact(string hex, long expected)
    {
        Assert.That(Decode(hex), Is.EqualTo(new JValue(expected)));
        Assert.That(Decode(hex).Type, Is.EqualTo(JTokenType.Integer));
    }

    [Test]
    public void Uint64_past_the_signed_range_stays_exact()
    {
        Assert.That(((JValue)Decode("cfffffffffffffffff")).Value, Is.EqualTo(ulong.MaxValue));
    }

    [Test]
    public void Floats_of_32_and_64_bits_are_doubles()
    {
        Assert.That(((JValue)Decode("ca3fc00000")).Value, Is.EqualTo(1.5));
        Assert.That(((JValue)Decode("cb3ff8000000000000")).Value, Is.EqualTo(1.5));
    }

    [TestCase("d6ff00000000", 0L)]
    [TestCase("d7ff1d5353006553f100", 1700000000123L)]
    [TestCase("c70cff3b8b87c0ffffffffffffffff", -1L)]
    [TestCase("c70cff0000000000000004a817c800", 20000000000000L)]
    [TestCase("d7000000018bcfe5687b", 1700000000123L)]
    public void Timestamps_and_the_legacy_date_become_utc_dates(string hex, long unixMilliseconds)
    {
        var value = (JValue)Decode(hex);
        Assert.That(value.Type, Is.EqualTo(JTokenType.Date));
        Assert.That(value.Value, Is.EqualTo(DateTime.UnixEpoch.AddTicks(unixMilliseconds * TimeSpan.TicksPerMillisecond)));
        Assert.That(((DateTime)value.Value!).Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void Nanoseconds_are_truncated_toward_zero_as_a_javascript_date_is()
    {
        // 1.999999999 s after the epoch, and 0.5 ms before it.
        Assert.That(((JValue)Decode("d7ffee6b27fc00000001")).Value, Is.EqualTo(DateTime.UnixEpoch.AddMilliseconds(1999)));
        Assert.That(((JValue)Decode("c70cff3b9328e0ffffffffffffffff")).Value, Is.EqualTo(DateTime.UnixEpoch));
    }

    [Test]
    public void A_decoded_date_reaches_a_client_as_its_iso_string()
    {
        var encoded = SocketPacketEncoder.Encode(
            new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("d", Decode("d7ff1d5353006553f100"), Decode("d6ff00000000")) },
            SocketIoVersion.V5);
        Assert.That(encoded.Text, Is.EqualTo("2[\"d\",\"2023-11-14T22:13:20.123Z\",\"1970-01-01T00:00:00.000Z\"]"));
    }

    [Test]
    public void Legacy_array_buffers_are_bytes_and_other_extensions_type_and_bytes()
    {
        Assert.That(((JValue)Decode("c70300010203")).Value, Is.EqualTo(new byte[] { 1, 2, 3 }));
        var other = Decode("d5050102");
        Assert.That(other[0], Is.EqualTo(new JValue(5L)));
        Assert.That(((JValue)other[1]!).Value, Is.EqualTo(new byte[] { 1, 2 }));
    }

    [Test]
    public void Legacy_undefined_is_null_in_an_array_and_no_key_in_a_map()
    {
        Assert.That(Decode("92d4000001").ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[null,1]"));
        Assert.That(Decode("82a161d40000a16201").ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("{\"b\":1}"));
        // A later undefined removes an earlier value, as assigning undefined does in JavaScript.
        Assert.That(Decode("82a16101a161d40000").ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("{}"));
    }

    [Test]
    public void Map_keys_take_their_javascript_string_form()
    {
        // {1: "a", 1.5: "b", true: "c", nil: "d", -0.0: "e"}
        var map = (JObject)Decode("8501a161cb3ff8000000000000a162c3a163c0a164cb8000000000000000a165");
        Assert.That(map.Properties().Select(p => p.Name), Is.EqualTo(new[] { "1", "1.5", "true", "null", "0" }));
    }

    [Test]
    public void A_repeated_key_keeps_its_first_place_and_its_last_value_and_proto_is_dropped()
    {
        var map = Decode("84a16101a16202a16103a95f5f70726f746f5f5f80");
        Assert.That(map.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("{\"a\":3,\"b\":2}"));
    }

    [Test]
    public void Invalid_utf8_becomes_replacement_characters_as_in_node()
    {
        Assert.That(((JValue)Decode("a3ff6180")).Value, Is.EqualTo("\uFFFDa\uFFFD"));
    }

    [TestCase("", "truncated")]
    [TestCase("c1", "starts no MessagePack value")]
    [TestCase("0000", "trailing")]
    [TestCase("92", "more elements")]
    [TestCase("a5616263", "truncated")]
    [TestCase("c40501", "truncated")]
    [TestCase("cd01", "truncated")]
    [TestCase("ddffffffff", "exceeds")]
    [TestCase("dd00010000", "more elements")]
    [TestCase("dbffffffff", "exceeds")]
    [TestCase("c70aff00000000000000000000", "timestamp of 10 bytes")]
    [TestCase("8192a16101", "map key of type Array")]
    [TestCase("81c40161a162", "map key of type Bytes")]
    [TestCase("d7000000e677d21fdc00", "outside the years 1 to 9999")]
    public void Malformed_input_is_a_protocol_exception(string hex, string message)
    {
        var e = Assert.Throws<ProtocolException>(() => NotepackDecoder.Decode(Convert.FromHexString(hex)));
        Assert.That(e!.Message, Does.Contain(message));
    }

    [Test]
    public void Nesting_past_the_limit_is_refused_before_the_stack_is_at_risk()
    {
        byte[] deep = [.. Enumerable.Repeat((byte)0x91, 100_000), 0xc0];
        Assert.Throws<ProtocolException>(() => NotepackDecoder.Decode(deep));

        byte[] atLimit = [.. Enumerable.Repeat((byte)0x91, 8), 0xc0];
        Assert.That(NotepackDecoder.Decode(atLimit, maxDepth: 8).ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("[[[[[[[[null]]]]]]]]"));
        Assert.Throws<ProtocolException>(() => NotepackDecoder.Decode(atLimit, maxDepth: 7));
    }

    [Test]
    public void What_the_encoder_writes_decodes_to_the_same_value()
    {
        var value = new JObject
        {
            ["s"] = "text", ["i"] = -70000, ["u"] = ulong.MaxValue, ["f"] = 0.1, ["b"] = false, ["n"] = null,
            ["bin"] = new byte[300], ["d"] = new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
            ["nested"] = new JArray(new JArray(new JObject { ["x"] = new JArray() })),
        };
        Assert.That(JToken.DeepEquals(NotepackDecoder.Decode(NotepackEncoder.Encode(value)), value), Is.True);
    }

    private static JToken Decode(string hex) => NotepackDecoder.Decode(Convert.FromHexString(hex));
}
