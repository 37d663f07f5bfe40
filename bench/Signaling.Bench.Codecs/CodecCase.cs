using Signaling.Protocol.SocketIo;

namespace Signaling.Bench.Codecs;

/// <summary>
/// One packet as it travels: its Socket.IO text and the binary attachments that follow it.
/// <see cref="ToString"/> is the name BenchmarkDotNet prints in the Case column.
/// </summary>
public sealed record CodecCase(string Name, SocketIoVersion Version, string Text, IReadOnlyList<byte[]> Attachments)
{
    public override string ToString() => Name;

    /// <summary>Every packet kind the benchmarks cover, in both protocol versions.</summary>
    public static IEnumerable<CodecCase> All() =>
        [.. ForVersion(SocketIoVersion.V4), .. ForVersion(SocketIoVersion.V5)];

    private static IEnumerable<CodecCase> ForVersion(SocketIoVersion version)
    {
        string v = version == SocketIoVersion.V4 ? "v4" : "v5";
        // Protocol v4 has no CONNECT payload: clients 1.x/2.x carry their auth in the namespace query.
        yield return version == SocketIoVersion.V4
            ? TextOnly(version, $"{v} CONNECT auth", "0/admin?token=eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo,")
            : TextOnly(version, $"{v} CONNECT auth", "0{\"token\":\"eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo\"}");
        yield return TextOnly(version, $"{v} EVENT small", "2[\"online\",\"Alice\"]");
        yield return TextOnly(version, $"{v} EVENT candidate", string.Format(WireSamples.CandidateEventTemplate, WireSamples.TargetId));
        yield return TextOnly(version, $"{v} EVENT sdp", string.Format(WireSamples.OfferEventTemplate, WireSamples.TargetId));
        yield return TextOnly(version, $"{v} ACK", "312[{\"ok\":true}]");
        yield return new CodecCase($"{v} BINARY_EVENT 1", version,
            $"51-[\"file\",\"{WireSamples.TargetId}\",{{\"_placeholder\":true,\"num\":0}}]", [WireSamples.Bytes(1024, 1)]);
        yield return new CodecCase($"{v} BINARY_EVENT 3", version,
            $"53-[\"chunks\",\"{WireSamples.TargetId}\",{{\"_placeholder\":true,\"num\":0}},{{\"_placeholder\":true,\"num\":1}},{{\"_placeholder\":true,\"num\":2}}]",
            [WireSamples.Bytes(1024, 1), WireSamples.Bytes(1024, 2), WireSamples.Bytes(1024, 3)]);
        // Protocol v4 servers send the reason as a bare string; v5 always wraps it in an object.
        yield return version == SocketIoVersion.V4
            ? TextOnly(version, $"{v} CONNECT_ERROR", "4\"Not authorized\"")
            : TextOnly(version, $"{v} CONNECT_ERROR", "4{\"message\":\"Not authorized\",\"data\":{\"code\":401}}");
    }

    private static CodecCase TextOnly(SocketIoVersion version, string name, string text) => new(name, version, text, []);
}
