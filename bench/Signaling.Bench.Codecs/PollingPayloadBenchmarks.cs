using BenchmarkDotNet.Attributes;
using Signaling.Protocol.EngineIo;

namespace Signaling.Bench.Codecs;

/// <summary>
/// Engine.IO long-polling bodies: decoding a body into its packets and encoding packets into a body,
/// with the call the polling transport makes for the case's version and form.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class PollingPayloadBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public PollingCase Case { get; set; } = null!;

    public static IEnumerable<PollingCase> Cases => PollingCase.All();

    [GlobalSetup]
    public void Setup()
    {
        SetupCheck.SamePackets(Case.Packets, Decode(), $"{Case}: decoded packets");
        if (Case.Xhr2 is not null)
        {
            SetupCheck.That(((byte[])Encode()).AsSpan().SequenceEqual(Case.Xhr2), $"{Case}: encoded XHR2 body");
        }
        else
        {
            SetupCheck.Equal(Case.Text!, (string)Encode(), $"{Case}: encoded body");
        }
    }

    [Benchmark]
    public IReadOnlyList<EnginePacket> Decode() => (Case.Version, Case.Xhr2) switch
    {
        (EngineIoVersion.V3, { } body) => PollingPayloadV3.DecodeBinary(body),
        (EngineIoVersion.V3, null) => PollingPayloadV3.Decode(Case.Text!),
        _ => PollingPayloadV4.Decode(Case.Text!),
    };

    /// <summary>The body: a string, or the XHR2 bytes.</summary>
    [Benchmark]
    public object Encode() => (Case.Version, Case.Xhr2) switch
    {
        (EngineIoVersion.V3, not null) => PollingPayloadV3.EncodeBinary(Case.Packets),
        (EngineIoVersion.V3, null) => PollingPayloadV3.Encode(Case.Packets),
        _ => PollingPayloadV4.Encode(Case.Packets),
    };
}
