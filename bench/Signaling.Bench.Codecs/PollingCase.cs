using System.Text;
using Signaling.Protocol.EngineIo;

namespace Signaling.Bench.Codecs;

/// <summary>
/// A batch of Engine.IO packets as one HTTP long-polling body: v4 text, v3 text, or v3 binary (XHR2,
/// <see cref="Xhr2"/>). The bodies are written out by hand from the protocol specification.
/// </summary>
public sealed record PollingCase(string Name, EngineIoVersion Version, IReadOnlyList<EnginePacket> Packets, string? Text, byte[]? Xhr2)
{
    public override string ToString() => Name;

    public static IEnumerable<PollingCase> All()
    {
        // What a callee's poll returns while a call is set up: the offer, then a burst of candidates.
        string offer = "4" + string.Format(WireSamples.OfferForwardedTemplate, WireSamples.SenderId);
        string candidate = "4" + string.Format(WireSamples.CandidateEventTemplate, WireSamples.SenderId);
        string[] callSetUp = [offer, candidate, candidate, candidate, candidate];
        EnginePacket[] callPackets = [.. callSetUp.Select(text => EnginePacket.Message(text[1..]))];

        // A BINARY_EVENT and its 1 KB attachment.
        string binaryEvent = $"451-[\"file\",\"{WireSamples.SenderId}\",{{\"_placeholder\":true,\"num\":0}}]";
        byte[] attachment = WireSamples.Bytes(1024, 1);
        EnginePacket[] binaryPackets = [EnginePacket.Message(binaryEvent[1..]), EnginePacket.BinaryMessage(attachment)];
        string base64 = Convert.ToBase64String(attachment);

        return
        [
            // v4: packets joined by the record separator; base64 binary as "b...".
            new("v4 offer + 4 candidates", EngineIoVersion.V4, callPackets, string.Join(PollingPayloadV4.Separator, callSetUp), null),
            new("v4 binary event as base64", EngineIoVersion.V4, binaryPackets, binaryEvent + PollingPayloadV4.Separator + "b" + base64, null),
            // v3 text: "<length>:<packet>" with the length in UTF-16 code units; base64 binary as "b4...".
            new("v3 offer + 4 candidates", EngineIoVersion.V3, callPackets, string.Concat(callSetUp.Select(V3Framed)), null),
            new("v3 binary event as base64", EngineIoVersion.V3, binaryPackets, V3Framed(binaryEvent) + V3Framed("b4" + base64), null),
            // v3 XHR2: per packet a kind byte (0 text, 1 binary), the length one decimal digit per byte, 0xFF,
            // then the UTF-8 text, or the message type byte (4) and the data.
            new("v3 binary event as XHR2", EngineIoVersion.V3, binaryPackets, null,
                [.. Xhr2Framed(0, Encoding.UTF8.GetBytes(binaryEvent)), .. Xhr2Framed(1, [4, .. attachment])]),
        ];
    }

    private static string V3Framed(string packet) => $"{packet.Length}:{packet}";

    private static byte[] Xhr2Framed(byte kind, byte[] body) =>
        [kind, .. body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(digit => (byte)(digit - '0')), 0xFF, .. body];
}
