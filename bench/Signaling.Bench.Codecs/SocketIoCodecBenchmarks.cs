using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Bench.Codecs;

/// <summary>
/// Decoding and encoding one Socket.IO packet of each kind the relay sees, protocol v4 and v5.
/// Decode reuses one decoder, as a connection does; a binary packet counts as decoded when its
/// last attachment is in.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class SocketIoCodecBenchmarks
{
    private SocketPacketDecoder _decoder = null!;
    private byte[][] _attachments = [];
    private SocketPacket _packet = null!;

    [ParamsSource(nameof(Cases))]
    public CodecCase Case { get; set; } = null!;

    public static IEnumerable<CodecCase> Cases => CodecCase.All();

    [GlobalSetup]
    public void Setup()
    {
        _decoder = new SocketPacketDecoder(Case.Version);
        _attachments = [.. Case.Attachments];
        _packet = Decode();
        CheckDecoded(_packet);

        EncodedSocketPacket encoded = Encode();
        SetupCheck.Equal(Case.Text, encoded.Text, $"{Case}: re-encoded text");
        SetupCheck.That(encoded.Attachments.Count == _attachments.Length, $"{Case}: re-encoded attachment count");
        for (int i = 0; i < _attachments.Length; i++)
        {
            SetupCheck.That(encoded.Attachments[i].Span.SequenceEqual(_attachments[i]), $"{Case}: re-encoded attachment {i}");
        }
    }

    [Benchmark]
    public SocketPacket Decode()
    {
        SocketPacket? packet = _decoder.Decode(Case.Text);
        // A for loop over the array: an enumerator would add its own allocation to the measure.
        for (int i = 0; i < _attachments.Length; i++)
        {
            packet = _decoder.AddAttachment(_attachments[i]);
        }

        return packet ?? throw new InvalidOperationException($"{Case}: the decoder returned no packet");
    }

    [Benchmark]
    public EncodedSocketPacket Encode() => SocketPacketEncoder.Encode(_packet, Case.Version);

    // The decoded packet against what Newtonsoft.Json's own parser makes of the same text.
    private void CheckDecoded(SocketPacket packet)
    {
        string text = Case.Text;
        SetupCheck.That((int)packet.Type == text[0] - '0', $"{Case}: decoded type {packet.Type}");
        int payloadStart = text.IndexOfAny(['[', '{', '"']);
        // Only the EVENT and ACK samples carry an ack id, written right after the type digit.
        int? expectedAckId = text[0] is '2' or '3' && char.IsAsciiDigit(text[1]) ? int.Parse(text[1..payloadStart]) : null;
        SetupCheck.That(packet.AckId == expectedAckId, $"{Case}: decoded ack id {packet.AckId}");
        // Only the v4 CONNECT sample names a namespace, with the query that v4 clients append to it;
        // re-encoding alone would not notice the query left inside the namespace.
        bool v4Connect = text.StartsWith("0/admin?", StringComparison.Ordinal);
        SetupCheck.Equal(v4Connect ? "/admin" : "/", packet.Namespace, $"{Case}: decoded namespace");
        SetupCheck.That(packet.NamespaceQuery == (v4Connect ? text["0/admin?".Length..^1] : null), $"{Case}: decoded query {packet.NamespaceQuery}");
        if (payloadStart < 0)
        {
            SetupCheck.That(packet.Data is null, $"{Case}: a payload where the text has none");
            return;
        }

        JToken expected = JToken.Parse(text[payloadStart..]);
        int binaryIndex = 0;
        foreach (JToken placeholder in expected.SelectTokens("$..[?(@._placeholder == true)]").ToList())
        {
            placeholder.Replace(new JValue(_attachments[(int)placeholder["num"]!]));
            binaryIndex++;
        }

        SetupCheck.That(binaryIndex == _attachments.Length, $"{Case}: {binaryIndex} placeholders for {_attachments.Length} attachments");
        SetupCheck.That(JToken.DeepEquals(expected, packet.Data), $"{Case}: decoded payload {packet.Data?.ToString(Newtonsoft.Json.Formatting.None)}");
        if (text.Contains("\"sdp\"", StringComparison.Ordinal))
        {
            SetupCheck.Equal(WireSamples.SdpOffer, (string?)packet.Data![2]!["sdp"], $"{Case}: decoded SDP");
        }
    }
}
