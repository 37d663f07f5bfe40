using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Protocol;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>The relay's splice: target read and replaced by the sender id, ack id dropped, the rest untouched.</summary>
public sealed class SocketEventSpliceTests
{
    private const string Placeholder0 = "{\"_placeholder\":true,\"num\":0}";

    [Test]
    public void Example_from_the_signaling_contract()
    {
        var splice = SocketEventSplice.Parse("2[\"offer\",\"B-id\",{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}]");

        Assert.Multiple(() =>
        {
            Assert.That(splice.Type, Is.EqualTo(SocketPacketType.Event));
            Assert.That(splice.Namespace, Is.EqualTo("/"));
            Assert.That(splice.AckId, Is.Null);
            Assert.That(splice.Attachments, Is.Zero);
            Assert.That(splice.EventName, Is.EqualTo("offer"));
            Assert.That(splice.HasTarget, Is.True);
            Assert.That(splice.Target, Is.EqualTo("B-id"));
            Assert.That(splice.TargetJson, Is.EqualTo("\"B-id\""));
            Assert.That(splice.WithSender("A-id"), Is.EqualTo("2[\"offer\",\"A-id\",{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}]"));
        });
    }

    [TestCase("212[\"request chat\",\"B\"]", 12, "2[\"request chat\",\"A\"]")]
    [TestCase("2/chat,5[\"candidate\",\"B\",{}]", 5, "2/chat,[\"candidate\",\"A\",{}]")]
    [TestCase("2/chat,[\"candidate\",\"B\",{}]", null, "2/chat,[\"candidate\",\"A\",{}]")]
    [TestCase("22147483647[\"hangup\",\"B\"]", int.MaxValue, "2[\"hangup\",\"A\"]")]
    public void Ack_id_is_reported_and_removed(string text, int? ackId, string expected)
    {
        var splice = SocketEventSplice.Parse(text);

        Assert.That(splice.AckId, Is.EqualTo(ackId));
        Assert.That(splice.WithSender("A"), Is.EqualTo(expected));
    }

    [Test]
    public void Binary_event_keeps_its_attachment_count_and_placeholders()
    {
        var splice = SocketEventSplice.Parse("52-/x,3[\"offer\",\"B\",{\"blob\":" + Placeholder0 + "},{\"_placeholder\":true,\"num\":1}]");

        Assert.That(splice.Type, Is.EqualTo(SocketPacketType.BinaryEvent));
        Assert.That(splice.Attachments, Is.EqualTo(2));
        Assert.That(splice.Namespace, Is.EqualTo("/x"));
        Assert.That(splice.AckId, Is.EqualTo(3));
        Assert.That(splice.WithSender("A"),
            Is.EqualTo("52-/x,[\"offer\",\"A\",{\"blob\":" + Placeholder0 + "},{\"_placeholder\":true,\"num\":1}]"));
    }

    [TestCase("2[\"e\",\"B\\\"q\\\\\",1]", "B\"q\\", "2[\"e\",\"A\",1]")]
    [TestCase("2[\"e\",\"\\u0042\\u00e9\\ud83d\\ude00\",1]", "B\u00e9\U0001F600", "2[\"e\",\"A\",1]")]
    [TestCase("2[\"e\",\"a\\\",\\\"b\",\"c\"]", "a\",\"b", "2[\"e\",\"A\",\"c\"]")]
    [TestCase("2[\"e\",\"],[\",\"]\"]", "],[", "2[\"e\",\"A\",\"]\"]")]
    [TestCase("2[\"e\",\"\"]", "", "2[\"e\",\"A\"]")]
    [TestCase("2 [ \"e\" ,\n\"B\" , 1 ] ", "B", "2 [ \"e\" ,\n\"A\" , 1 ] ")]
    public void Tricky_target_strings(string text, string target, string expected)
    {
        var splice = SocketEventSplice.Parse(text);

        Assert.That(splice.Target, Is.EqualTo(target));
        Assert.That(splice.WithSender("A"), Is.EqualTo(expected));
    }

    [Test]
    public void Event_name_escapes_are_resolved() =>
        Assert.That(SocketEventSplice.Parse("2[\"stream\\u0020ok\",\"B\"]").EventName, Is.EqualTo("stream ok"));

    [TestCase("a\"b")]
    [TestCase("back\\slash")]
    [TestCase("line\nbreak\u0001")]
    [TestCase("\u2028")]
    [TestCase("说\U0001F600")]
    public void Sender_id_is_written_as_a_JSON_string(string sender)
    {
        string text = SocketEventSplice.Parse("2[\"e\",\"B\",1]").WithSender(sender);

        SocketPacket packet = SocketPacketAssert.DecodeComplete(text, SocketIoVersion.V5);
        Assert.That(SocketPacketAssert.Text(packet.Data![1]), Is.EqualTo(sender));
        Assert.That(packet.Data.ToString(Formatting.None), Is.EqualTo(new JArray("e", sender, 1).ToString(Formatting.None)));
    }

    [TestCase("2[\"e\",123,{}]", "123")]
    [TestCase("2[\"e\",null]", "null")]
    [TestCase("2[\"e\", {\"id\":\"B\"} ,1]", "{\"id\":\"B\"}")]
    [TestCase("2[\"e\",[\"B\"]]", "[\"B\"]")]
    [TestCase("51-[\"e\"," + Placeholder0 + "]", Placeholder0)]
    public void Target_that_is_not_a_string(string text, string targetJson)
    {
        var splice = SocketEventSplice.Parse(text);

        Assert.That(splice.HasTarget, Is.True);
        Assert.That(splice.Target, Is.Null);
        Assert.That(splice.TargetJson, Is.EqualTo(targetJson));
        Assert.That(() => splice.WithSender("A"), Throws.InvalidOperationException);
    }

    [Test]
    public void Event_without_target()
    {
        var splice = SocketEventSplice.Parse("2[\"online\"]");

        Assert.That(splice.HasTarget, Is.False);
        Assert.That(splice.Target, Is.Null);
        Assert.That(splice.TargetJson, Is.Null);
        Assert.That(() => splice.WithSender("A"), Throws.InvalidOperationException);
    }

    [TestCase("", "Empty")]
    [TestCase("31[]", "Expected an EVENT or BINARY_EVENT packet, got ACK")]
    [TestCase("0", "got CONNECT")]
    [TestCase("1", "got DISCONNECT")]
    [TestCase("2", "EVENT payload must be a non-empty array")]
    [TestCase("2[]", "EVENT payload must be a non-empty array")]
    [TestCase("2{}", "EVENT payload must be a non-empty array")]
    [TestCase("2[1,\"B\"]", "EVENT payload must be a non-empty array")]
    [TestCase("50-[]", "BINARY_EVENT payload must be a non-empty array")]
    [TestCase("2[\"e\",\"B\"]x", "unexpected text after")]
    [TestCase("2[\"e\",\"B\"][]", "unexpected text after")]
    [TestCase("2[\"e\",\"B\"", "expected ',' or ']'")]
    [TestCase("2[\"e\" \"B\"]", "expected ',' or ']'")]
    [TestCase("2[\"e\",]", "Invalid JSON payload")]
    [TestCase("2[\"e\",\"B]", "unterminated string")]
    [TestCase("2[\"e\",\"B\\\"]", "unterminated string")]
    [TestCase("2[\"e", "unterminated string")]
    [TestCase("2[\"e\\", "unterminated string")]
    [TestCase("2[\"e\\q\",\"B\"]", "bad escape")]
    [TestCase("2[\"e\",\"B\\u00\"]", "bad \\u escape")]
    [TestCase("2[\"e\",\"B\",{'a':1}]", "Invalid JSON payload")]
    [TestCase("2[\"e\",\"B\",NaN]", "Invalid JSON payload")]
    [TestCase("2[\"e\",\"B\",[1,]]", "Invalid JSON payload")]
    [TestCase("2[\"e\",\"B\",01]", "Invalid JSON payload")]
    [TestCase("2[\"e\",\"B\"," + Placeholder0 + "]", "placeholder in a packet that announces no attachments")]
    [TestCase("51-[\"e\",\"B\"]", "announces 1 binary attachment(s) but its payload has 0")]
    [TestCase("51-[\"e\",\"B\"," + Placeholder0 + "," + Placeholder0 + "]", "appears twice")]
    [TestCase("565-[\"e\",\"B\"]", "more than the limit of 64")]
    [TestCase("2admin,[\"e\",\"B\"]", "namespace must start with '/'")]
    [TestCase("299999999999[\"e\",\"B\"]", "out of range")]
    public void Hostile_input_is_refused(string text, string message) =>
        Assert.That(() => SocketEventSplice.Parse(text), Throws.TypeOf<ProtocolException>().With.Message.Contains(message));

    [Test]
    public void Deep_nesting_in_any_argument_is_refused()
    {
        Assert.That(() => SocketEventSplice.Parse("2[\"e\"," + new string('[', 100_000)),
            Throws.TypeOf<ProtocolException>().With.Message.Contains("nested deeper than 31 levels"));
        Assert.That(() => SocketEventSplice.Parse("2[\"e\",\"B\",{\"a\":" + new string('[', 100_000)),
            Throws.TypeOf<ProtocolException>().With.Message.Contains("nested deeper"));
    }

    [Test]
    public void Depth_counts_the_arguments_array_like_the_decoder()
    {
        var limits = new DecodeLimits { MaxJsonDepth = 3 };
        const string atLimit = "2[\"e\",\"B\",[{\"a\":1}]]";
        const string pastLimit = "2[\"e\",\"B\",[{\"a\":[]}]]";

        Assert.That(SocketEventSplice.Parse(atLimit, limits).Target, Is.EqualTo("B"));
        Assert.That(new SocketPacketDecoder(SocketIoVersion.V5, limits).Decode(atLimit), Is.Not.Null);
        Assert.That(() => SocketEventSplice.Parse(pastLimit, limits), Throws.TypeOf<ProtocolException>());
        Assert.That(() => new SocketPacketDecoder(SocketIoVersion.V5, limits).Decode(pastLimit), Throws.TypeOf<ProtocolException>());
    }

    [Test]
    public void Splice_agrees_with_decode_replace_encode_on_random_events()
    {
        var random = new Random(42);
        int binaryPackets = 0;
        for (int i = 0; i < 2_000; i++)
        {
            var args = new JArray("ev" + random.Next(5));
            int count = random.Next(0, 4);
            for (int j = 0; j < count; j++)
            {
                args.Add(RandomValue(random, 3));
            }

            var packet = new SocketPacket
            {
                Type = SocketPacketType.Event,
                Namespace = random.Next(2) == 0 ? "/" : "/ns" + random.Next(3),
                AckId = random.Next(2) == 0 ? null : random.Next(),
                Data = args,
            };
            EncodedSocketPacket encoded = SocketPacketEncoder.Encode(packet, SocketIoVersion.V5);
            binaryPackets += encoded.Attachments.Count > 0 ? 1 : 0;

            var splice = SocketEventSplice.Parse(encoded.Text);

            Assert.That(splice.EventName, Is.EqualTo((string)args[0]!));
            Assert.That(splice.AckId, Is.EqualTo(packet.AckId));
            Assert.That(splice.Attachments, Is.EqualTo(encoded.Attachments.Count));
            Assert.That(splice.TargetJson, Is.EqualTo(args.Count < 2 ? null : EncodedAlone(args[1])));
            if (splice.Target is null)
            {
                continue;
            }

            var expected = (JArray)args.DeepClone();
            expected[1] = "sender\"" + i;
            string relayed = splice.WithSender("sender\"" + i);
            string reference = SocketPacketEncoder.Encode(
                new SocketPacket { Type = SocketPacketType.Event, Namespace = packet.Namespace, Data = expected }, SocketIoVersion.V5).Text;
            Assert.That(relayed, Is.EqualTo(reference), encoded.Text);
        }

        Assert.That(binaryPackets, Is.GreaterThan(100), "the random packets include binary ones");
    }

    [Test]
    public void Random_garbage_only_ever_raises_protocol_exceptions()
    {
        var random = new Random(7);
        const string alphabet = "0123456789-/,[]{}\":tfnrue.E+\\ _placeholdr";
        var limits = new DecodeLimits { MaxJsonDepth = 3, MaxAttachments = 3 };
        for (int i = 0; i < 50_000; i++)
        {
            char[] text = new char[random.Next(0, 24)];
            text.AsSpan().Fill('2');
            for (int j = random.Next(2); j < text.Length; j++)
            {
                text[j] = alphabet[random.Next(alphabet.Length)];
            }

            try
            {
                SocketEventSplice splice = SocketEventSplice.Parse(new string(text), limits);
                if (splice.Target is not null)
                {
                    Assert.That(splice.WithSender("A"), Does.Contain("\"A\""));
                }
            }
            catch (ProtocolException)
            {
                // The only acceptable failure.
            }
        }
    }

    // The JSON the encoder writes for a value that is an event's first argument (bytes become placeholders).
    private static string EncodedAlone(JToken argument)
    {
        string text = SocketPacketEncoder.Encode(
            new SocketPacket { Type = SocketPacketType.Event, Data = new JArray("x", argument.DeepClone()) }, SocketIoVersion.V5).Text;
        return text[(text.IndexOf('[', StringComparison.Ordinal) + "[\"x\",".Length)..^1];
    }

    private static JToken RandomValue(Random random, int depth)
    {
        switch (random.Next(depth > 0 ? 9 : 7))
        {
            case 6: return new byte[] { (byte)random.Next(256) };
            case 0: return "s" + random.Next(100) + (random.Next(4) == 0 ? "\"\\\n\u00e9" : "");
            case 1: return random.Next(-1000, 1000);
            case 2: return random.NextDouble();
            case 3: return random.Next(2) == 0;
            case 4: return JValue.CreateNull();
            case 5: return "";
            case 7:
                var array = new JArray();
                for (int i = random.Next(3); i > 0; i--)
                {
                    array.Add(RandomValue(random, depth - 1));
                }

                return array;
            default:
                var obj = new JObject();
                for (int i = random.Next(3); i > 0; i--)
                {
                    obj["k" + i] = RandomValue(random, depth - 1);
                }

                return obj;
        }
    }
}
