using Newtonsoft.Json.Linq;
using Signaling.Protocol;
using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>
/// Valid packets with a few characters inserted, removed or replaced: whatever comes out, the decoder
/// and the splice only ever throw <see cref="ProtocolException"/>, whatever they accept re-encodes to
/// the same packet, and the two agree on which events are valid.
/// </summary>
public sealed class SocketCodecMutationTests
{
    private static readonly string[] Seeds =
    [
        "0", "0/admin,", "0/admin?token=1,", "0{\"token\":\"123\"}", "1/admin,", "2[\"foo\"]",
        "212[\"foo\",{\"a\":[1,2.5e-3,true,null]}]", "2/admin,456[\"project:delete\",123]", "3/admin,13[\"bar\"]",
        "4{\"message\":\"Not authorized\"}", "4\"x\"", "51-[\"baz\",{\"_placeholder\":true,\"num\":0}]",
        "52-/admin,7[\"baz\",{\"_placeholder\":true,\"num\":0},{\"k\":{\"_placeholder\":true,\"num\":1}}]",
        "61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]",
        "2[\"e\",\"B\\\"q\\u00e9\\ud83d\\ude00\",{\"\\u005fplaceholder\":false}]",
    ];

    private const string Mutations = "0123456789-/,[]{}\":tfnrueE.+\\ _placeholdrum?\u0000\ud800\u00e9";

    private static readonly DecodeLimits Limits = new() { MaxJsonDepth = 4, MaxAttachments = 3 };

    [Test]
    public void Mutated_packets_are_decoded_consistently_or_refused_cleanly()
    {
        var random = new Random(12345);
        int accepted = 0;
        for (int i = 0; i < 30_000; i++)
        {
            string text = Mutate(Seeds[random.Next(Seeds.Length)], random);
            foreach (SocketIoVersion version in new[] { SocketIoVersion.V4, SocketIoVersion.V5 })
            {
                SocketPacket? packet = TryDecode(text, version);
                if (packet is not null)
                {
                    accepted++;
                    AssertReencodesToTheSamePacket(packet, version, text);
                }
            }

            AssertSpliceAgreesWithDecoder(text);
        }

        Assert.That(accepted, Is.GreaterThan(1_000), "the mutations leave a fair share of valid packets");
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new System.Text.StringBuilder(seed);
        for (int m = random.Next(1, 4); m > 0; m--)
        {
            int pos = random.Next(text.Length + 1);
            char c = Mutations[random.Next(Mutations.Length)];
            switch (random.Next(3))
            {
                case 0:
                    text.Insert(pos, c);
                    break;
                case 1 when pos < text.Length:
                    text.Remove(pos, 1);
                    break;
                case 2 when pos < text.Length:
                    text[pos] = c;
                    break;
            }
        }

        return text.ToString();
    }

    private static SocketPacket? TryDecode(string text, SocketIoVersion version)
    {
        try
        {
            var decoder = new SocketPacketDecoder(version, Limits);
            SocketPacket? packet = decoder.Decode(text);
            while (decoder.AwaitingAttachments)
            {
                packet = decoder.AddAttachment(new byte[] { 1 });
            }

            return packet;
        }
        catch (ProtocolException)
        {
            return null;
        }
    }

    private static void AssertReencodesToTheSamePacket(SocketPacket packet, SocketIoVersion version, string text)
    {
        EncodedSocketPacket encoded = SocketPacketEncoder.Encode(packet, version);
        var decoder = new SocketPacketDecoder(version, Limits);
        SocketPacket? again = decoder.Decode(encoded.Text);
        foreach (ReadOnlyMemory<byte> attachment in encoded.Attachments)
        {
            again = decoder.AddAttachment(attachment);
        }

        Assert.That(again, Is.Not.Null, text);
        Assert.That(JToken.DeepEquals(again!.Data, packet.Data) && again.Namespace == packet.Namespace
            && again.NamespaceQuery == packet.NamespaceQuery && again.AckId == packet.AckId, Is.True, $"{text} -> {encoded.Text}");
    }

    // The splice accepts what the decoder accepts as an event, plus what a token tree cannot hold.
    private static void AssertSpliceAgreesWithDecoder(string text)
    {
        string? decoderRefusal = null;
        try
        {
            var decoder = new SocketPacketDecoder(SocketIoVersion.V5, Limits);
            decoder.Decode(text);
        }
        catch (ProtocolException e)
        {
            decoderRefusal = e.Message;
        }

        bool decoderAcceptsEvent = decoderRefusal is null && text[0] is '2' or '5';
        SocketEventSplice splice;
        try
        {
            splice = SocketEventSplice.Parse(text, Limits);
        }
        catch (ProtocolException)
        {
            Assert.That(decoderAcceptsEvent, Is.False, $"the decoder accepts the event {text}");
            return;
        }

        if (decoderRefusal is not null)
        {
            Assert.That(decoderRefusal, Does.Contain("duplicate property name").Or.Contain("out of range"), $"only the splice accepts {text}");
        }

        if (splice.Target is not null && decoderRefusal is null)
        {
            Assert.That(TryDecode(splice.WithSender("S\"x"), SocketIoVersion.V5), Is.Not.Null, $"relayed form of {text}");
        }
    }
}
