using Signaling.Protocol.EngineIo;

namespace Signaling.Bench.Codecs;

/// <summary>
/// One Engine.IO packet and the WebSocket frame that carries it: a text frame (<see cref="Text"/>)
/// or a binary frame (<see cref="Frame"/>), written out by hand from the protocol specification.
/// </summary>
public sealed record EnginePacketCase(string Name, EngineIoVersion Version, EnginePacket Packet, string? Text, byte[]? Frame)
{
    public override string ToString() => Name;

    public static IEnumerable<EnginePacketCase> All() =>
        [.. ForVersion(EngineIoVersion.V3), .. ForVersion(EngineIoVersion.V4)];

    private static IEnumerable<EnginePacketCase> ForVersion(EngineIoVersion version)
    {
        string v = version == EngineIoVersion.V3 ? "v3" : "v4";
        yield return TextFrame(version, $"{v} ping", EnginePacket.Create(EnginePacketType.Ping), "2");
        string candidate = string.Format(WireSamples.CandidateEventTemplate, WireSamples.SenderId);
        yield return TextFrame(version, $"{v} message candidate", EnginePacket.Message(candidate), "4" + candidate);
        string offer = string.Format(WireSamples.OfferForwardedTemplate, WireSamples.SenderId);
        yield return TextFrame(version, $"{v} message sdp", EnginePacket.Message(offer), "4" + offer);

        byte[] attachment = WireSamples.Bytes(1024, 1);
        EnginePacket binary = EnginePacket.BinaryMessage(attachment);
        // A client that cannot take binary frames gets the base64 text form: "b" in v4, "b4" in v3.
        yield return TextFrame(version, $"{v} binary 1KB as base64", binary,
            (version == EngineIoVersion.V3 ? "b4" : "b") + Convert.ToBase64String(attachment));
        // v4 sends the bytes as they are; v3 puts the message type byte (4) in front.
        yield return new EnginePacketCase($"{v} binary 1KB frame", version, binary, null,
            version == EngineIoVersion.V3 ? [4, .. attachment] : attachment);
    }

    private static EnginePacketCase TextFrame(EngineIoVersion version, string name, EnginePacket packet, string text) =>
        new(name, version, packet, text, null);
}
