using System.Diagnostics;
using Signaling.Protocol;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>Every malformed packet ends in a <see cref="ProtocolException"/> saying what is wrong, and nothing else.</summary>
public sealed class SocketPacketDecoderRejectionTests
{
    private const string Placeholder0 = "{\"_placeholder\":true,\"num\":0}";

    [TestCase("", "Empty")]
    [TestCase("7", "Unknown Socket.IO packet type '7'")]
    [TestCase("x[\"a\"]", "Unknown Socket.IO packet type 'x'")]
    [TestCase("\u0000", "Unknown Socket.IO packet type 'U+0000'")]
    public void Unknown_type(string text, string message) => AssertRejected(text, message);

    [TestCase("2999999999999[\"a\"]", "out of range")]
    [TestCase("22147483648[\"a\"]", "out of range")]
    [TestCase("3/admin,99999999999[]", "out of range")]
    public void Ack_id_that_does_not_fit_an_int(string text, string message) => AssertRejected(text, message);

    [Test]
    public void Ack_id_of_a_hundred_thousand_digits_is_refused() =>
        AssertRejected("2" + new string('7', 100_000) + "[\"a\"]", "out of range");

    [TestCase("2-1[\"a\"]")]
    [TestCase("2+1[\"a\"]")]
    public void Signed_ack_id(string text) => AssertRejected(text, "Invalid JSON payload");

    [TestCase("01", "CONNECT packet cannot carry an ack id")]
    [TestCase("1/admin,5", "DISCONNECT packet cannot carry an ack id")]
    [TestCase("45{\"message\":\"x\"}", "CONNECT_ERROR packet cannot carry an ack id")]
    [TestCase("3[]", "ACK packet without an ack id")]
    [TestCase("3/admin,[\"a\"]", "ACK packet without an ack id")]
    [TestCase("61-[" + Placeholder0 + "]", "BINARY_ACK packet without an ack id")]
    public void Ack_id_where_it_does_not_belong_or_is_missing(string text, string message) =>
        AssertRejected(text, message);

    [TestCase("2")]
    [TestCase("2/admin,")]
    [TestCase("21")]
    [TestCase("2{}")]
    [TestCase("2[]")]
    [TestCase("2\"foo\"")]
    [TestCase("2[1]")]
    [TestCase("2[null,\"a\"]")]
    [TestCase("2[[\"a\"]]")]
    [TestCase("2[{\"toString\":\"foo\"}]")]
    [TestCase("50-[]")]
    [TestCase("50-{}")]
    public void Event_payload_that_is_not_a_non_empty_array_starting_with_a_string(string text) =>
        AssertRejected(text, "payload must be a non-empty array starting with the event name");

    [TestCase("31")]
    [TestCase("31{}")]
    [TestCase("31\"a\"")]
    [TestCase("31null")]
    [TestCase("60-1{}")]
    public void Ack_payload_that_is_not_an_array(string text) => AssertRejected(text, "payload must be an array");

    [TestCase("52-[\"a\"," + Placeholder0 + "]", "announces 2 binary attachment(s) but its payload has 1 placeholder(s)")]
    [TestCase("51-[\"a\"]", "announces 1 binary attachment(s) but its payload has 0 placeholder(s)")]
    [TestCase("51-[\"a\"," + Placeholder0 + "," + Placeholder0 + "]", "num 0 appears twice")]
    [TestCase("51-[\"a\",{\"_placeholder\":true,\"num\":1}]", "num 1 is out of range for 1 attachment(s)")]
    [TestCase("51-[\"a\",{\"_placeholder\":true,\"num\":-1}]", "Malformed binary placeholder")]
    [TestCase("51-[\"a\",{\"_placeholder\":true,\"num\":0.0}]", "Malformed binary placeholder")]
    [TestCase("51-[\"a\",{\"_placeholder\":true,\"num\":\"0\"}]", "Malformed binary placeholder")]
    [TestCase("51-[\"a\",{\"_placeholder\":true}]", "Malformed binary placeholder")]
    [TestCase("51-[\"a\",{\"_placeholder\":true,\"num\":0,\"x\":1}]", "Malformed binary placeholder")]
    [TestCase("51-[\"a\",{\"_placeholder\":true,\"num\":99999999999}]", "Malformed binary placeholder")]
    public void Attachment_count_that_does_not_match_the_placeholders(string text, string message) =>
        AssertRejected(text, message);

    [TestCase("5-[\"a\"]", "without an attachment count")]
    [TestCase("5[\"a\"]", "without an attachment count")]
    [TestCase("51[\"a\"]", "must be followed by '-'")]
    [TestCase("51", "must be followed by '-'")]
    [TestCase("565-[\"a\"]", "more than the limit of 64")]
    [TestCase("5999999999999999999999-[\"a\"]", "too many attachments")]
    public void Bad_attachment_count(string text, string message) => AssertRejected(text, message);

    [Test]
    public void Attachments_over_a_configured_limit()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5, new DecodeLimits { MaxAttachments = 2 });

        Assert.That(() => decoder.Decode("53-[\"a\"]"), Throws.TypeOf<ProtocolException>().With.Message.Contains("more than the limit of 2"));
    }

    [Test]
    public void Attachment_count_near_int_max_is_refused_without_allocating()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();

        AssertRejected("52147483647-[\"a\"]", "more than the limit");

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(100_000));
    }

    [TestCase("2[\"a\"," + Placeholder0 + "]")]
    [TestCase("2[\"a\",{\"b\":[" + Placeholder0 + "]}]")]
    [TestCase("312[" + Placeholder0 + "]")]
    [TestCase("0{\"auth\":" + Placeholder0 + "}")]
    [TestCase("50-[\"a\"," + Placeholder0 + "]")]
    [TestCase("2[\"a\",{\"\\u005fplaceholder\":true,\"num\":0}]")]
    public void Placeholder_in_a_packet_without_attachments(string text) =>
        AssertRejected(text, "placeholder in a packet that announces no attachments");

    [TestCase("2[\"a\"]x")]
    [TestCase("2[\"a\"][\"b\"]")]
    [TestCase("2[\"a\"],")]
    [TestCase("0{}{}")]
    public void Trailing_garbage_after_the_JSON(string text) => AssertRejected(text, "unexpected text after the JSON value");

    [TestCase("2[\"a\",]")]
    [TestCase("2[\"a\" \"b\"]")]
    [TestCase("2['a']")]
    [TestCase("2[\"a\" /* comment */]")]
    [TestCase("2[\"a\",NaN]")]
    [TestCase("2[\"a\",Infinity]")]
    [TestCase("2[\"a\",undefined]")]
    [TestCase("2[\"a\",new Date(1)]")]
    [TestCase("2[\"a\",01]")]
    [TestCase("2[\"a\",1.]")]
    [TestCase("2[\"a\",.5]")]
    [TestCase("2[\"a\",-]")]
    [TestCase("2[\"a\",1e]")]
    [TestCase("2[\"a\",+1]")]
    [TestCase("2[\"a\",0x10]")]
    [TestCase("2[\"a\",tru]")]
    [TestCase("2[\"a\",nul")]
    [TestCase("2[\"a\",True]")]
    [TestCase("2[\"a")]
    [TestCase("2[\"a\\")]
    [TestCase("2[\"a\\x\"]")]
    [TestCase("2[\"a\\u12\"]")]
    [TestCase("2[\"a\\u12g4\"]")]
    [TestCase("2[\"a\u0001\"]")]
    [TestCase("2[\"a\n\"]")]
    [TestCase("2[\"a\",{\"b\"}]")]
    [TestCase("2[\"a\",{\"b\":}]")]
    [TestCase("2[\"a\",{b:1}]")]
    [TestCase("2[\"a\",{'b':1}]")]
    [TestCase("2[\"a\",{\"b\":1,}]")]
    [TestCase("2[\"a\",{\"b\":1]")]
    [TestCase("2[\"a\",[1}]")]
    [TestCase("2[\"a\"")]
    [TestCase("2[")]
    [TestCase("0{")]
    [TestCase("2[\"a\",\u00a0 1]")]
    [TestCase("2[\"a\",1e400]")]
    [TestCase("2[\"a\",-1e400]")]
    [TestCase("2[\"a\",{\"b\":1,\"b\":2}]")]
    public void Invalid_JSON(string text) => AssertRejected(text, "Invalid JSON payload");

    [Test]
    public void Number_longer_than_the_cap() =>
        AssertRejected("2[\"a\"," + new string('9', 100_000) + "]", "number longer than");

    [Test]
    public void Hundred_thousand_nested_arrays_are_refused_without_recursion() =>
        AssertRejected("2[\"a\"," + new string('[', 100_000), "nested deeper than 32 levels");

    [Test]
    public void Hundred_thousand_nested_objects_are_refused_without_recursion() =>
        AssertRejected("2[\"a\"," + string.Concat(Enumerable.Repeat("{\"a\":", 100_000)), "nested deeper than 32 levels");

    [Test]
    public void Hundred_thousand_nested_arrays_in_a_v5_connect() =>
        AssertRejected("0{\"a\":" + new string('[', 100_000), "nested deeper than 32 levels");

    [Test]
    public void Payload_one_level_past_the_depth_limit()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5, new DecodeLimits { MaxJsonDepth = 4 });

        Assert.That(() => decoder.Decode("2[\"a\",[[{\"b\":[]}]]]"),
            Throws.TypeOf<ProtocolException>().With.Message.Contains("nested deeper than 4 levels"));
    }

    [Test]
    public void Huge_flat_hostile_payloads_are_handled_in_linear_time()
    {
        string manyCommas = "2[\"a\"" + string.Concat(Enumerable.Repeat(",1", 200_000)) + "]";
        string longString = "2[\"a\",\"" + new string('\\', 400_000) + "\"]";
        var watch = Stopwatch.StartNew();

        Assert.That(SocketPacketAssert.DecodeComplete(manyCommas, SocketIoVersion.V5).Data!.Count(), Is.EqualTo(200_001));
        Assert.That(SocketPacketAssert.Text(SocketPacketAssert.DecodeComplete(longString, SocketIoVersion.V5).Data![1]), Has.Length.EqualTo(200_000));

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [TestCase("2admin,[\"a\"]")]
    [TestCase("0admin,")]
    [TestCase("51-admin,[\"a\"]")]
    [TestCase("2 /admin,[\"a\"]")]
    public void Namespace_without_leading_slash(string text) => AssertRejected(text, "namespace must start with '/'");

    [Test]
    public void V4_connect_cannot_carry_a_payload() =>
        AssertRejected("0/admin,{\"token\":\"1\"}", "protocol v4 cannot carry a payload", SocketIoVersion.V4);

    [TestCase("0[1]")]
    [TestCase("0\"token\"")]
    [TestCase("0/admin,1")]
    [TestCase("0null")]
    public void V5_connect_payload_must_be_an_object(string text) =>
        AssertRejected(text, text == "0/admin,1" ? "cannot carry an ack id" : "CONNECT payload must be a JSON object");

    [TestCase(SocketIoVersion.V4)]
    [TestCase(SocketIoVersion.V5)]
    public void Disconnect_cannot_carry_a_payload(SocketIoVersion version) =>
        AssertRejected("1/admin,{}", "DISCONNECT packet cannot carry a payload", version);

    [TestCase("4\"Not authorized\"")]
    [TestCase("4")]
    [TestCase("4[\"x\"]")]
    [TestCase("4{\"message\":7}")]
    public void V5_connect_error_must_be_an_object_with_a_string_message(string text) =>
        AssertRejected(text, "CONNECT_ERROR payload must be an object");

    [TestCase("4[\"x\"]")]
    [TestCase("41")]
    [TestCase("4null")]
    public void V4_connect_error_must_be_a_string_or_an_object(string text) =>
        AssertRejected(text, text == "41" ? "cannot carry an ack id" : "must be a string or an object", SocketIoVersion.V4);

    [Test]
    public void Text_while_attachments_are_due()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5);
        decoder.Decode("51-[\"a\"," + Placeholder0 + "]");

        Assert.That(() => decoder.Decode("2[\"b\"]"),
            Throws.TypeOf<ProtocolException>().With.Message.Contains("1 binary attachment(s) were still due"));
    }

    [Test]
    public void Attachment_when_none_is_due()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5);

        Assert.That(() => decoder.AddAttachment(new byte[] { 1 }),
            Throws.TypeOf<ProtocolException>().With.Message.Contains("none was due"));
        decoder.Decode("2[\"b\"]");
        Assert.That(() => decoder.AddAttachment(new byte[] { 1 }),
            Throws.TypeOf<ProtocolException>().With.Message.Contains("none was due"));
    }

    [Test]
    public void Attachment_after_the_last_one_is_refused()
    {
        var decoder = new SocketPacketDecoder(SocketIoVersion.V5);
        decoder.Decode("51-[\"a\"," + Placeholder0 + "]");
        decoder.AddAttachment(new byte[] { 1 });

        Assert.That(() => decoder.AddAttachment(new byte[] { 2 }),
            Throws.TypeOf<ProtocolException>().With.Message.Contains("none was due"));
    }

    [Test]
    public void Random_garbage_only_ever_raises_protocol_exceptions()
    {
        var random = new Random(20261126);
        const string alphabet = "0123456789-/,[]{}\":tfnrue.E+\\ _placeholdr";
        foreach (SocketIoVersion version in new[] { SocketIoVersion.V4, SocketIoVersion.V5 })
        {
            for (int i = 0; i < 20_000; i++)
            {
                var decoder = new SocketPacketDecoder(version, new DecodeLimits { MaxJsonDepth = 3, MaxAttachments = 3 });
                char[] text = new char[random.Next(0, 24)];
                for (int j = 0; j < text.Length; j++)
                {
                    text[j] = alphabet[random.Next(alphabet.Length)];
                }

                try
                {
                    if (decoder.Decode(new string(text)) is null)
                    {
                        while (decoder.AwaitingAttachments)
                        {
                            decoder.AddAttachment(new byte[] { 1 });
                        }
                    }
                }
                catch (ProtocolException)
                {
                    // The only acceptable failure.
                }
            }
        }
    }

    private static void AssertRejected(string text, string message, SocketIoVersion version = SocketIoVersion.V5)
    {
        var decoder = new SocketPacketDecoder(version);

        Assert.That(() => decoder.Decode(text), Throws.TypeOf<ProtocolException>().With.Message.Contains(message));
    }
}
