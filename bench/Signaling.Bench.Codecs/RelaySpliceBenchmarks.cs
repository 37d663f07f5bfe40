using BenchmarkDotNet.Attributes;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Bench.Codecs;

/// <summary>
/// The relay's hot path, <c>(event, toId, ...payload)</c> in and <c>(event, fromId, ...payload)</c>
/// out: the splice against the slow way it replaced, a full decode to a token tree and a re-encode.
/// EVENT text is the same in protocol v4 and v5, so one version is measured. <see cref="SpliceWithOffset"/>
/// is what a target that may recover (connection state recovery) is sent: the same splice with the
/// recovery offset written after the payload.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class RelaySpliceBenchmarks
{
    private readonly SocketPacketDecoder _decoder = new(SocketIoVersion.V5);

    [ParamsSource(nameof(Cases))]
    public RelayCase Case { get; set; } = null!;

    public static IEnumerable<RelayCase> Cases => RelayCase.All();

    [GlobalSetup]
    public void Setup()
    {
        SocketEventSplice splice = SpliceParse();
        SetupCheck.Equal(WireSamples.TargetId, splice.Target, $"{Case}: splice target");
        SetupCheck.Equal(Case.Forwarded, Splice(), $"{Case}: spliced text");
        SetupCheck.Equal(Case.Forwarded, DecodeAndReencode(), $"{Case}: decoded and re-encoded text");
        SetupCheck.Equal(Case.Forwarded[..^1] + ",\"1234567\"]", SpliceWithOffset(), $"{Case}: spliced text with an offset");
    }

    [Benchmark]
    public SocketEventSplice SpliceParse() => SocketEventSplice.Parse(Case.Incoming);

    [Benchmark(Baseline = true)]
    public string Splice() => SocketEventSplice.Parse(Case.Incoming).WithSender(WireSamples.SenderId);

    [Benchmark]
    public string SpliceWithOffset() => SocketEventSplice.Parse(Case.Incoming).WithSender(WireSamples.SenderId, 1234567);

    [Benchmark]
    public string DecodeAndReencode()
    {
        SocketPacket packet = _decoder.Decode(Case.Incoming)
            ?? throw new InvalidOperationException($"{Case}: the decoder returned no packet");
        var args = (JArray)packet.Data!;
        args[1] = WireSamples.SenderId;
        var forwarded = new SocketPacket { Type = packet.Type, Namespace = packet.Namespace, Data = args };
        return SocketPacketEncoder.Encode(forwarded, SocketIoVersion.V5).Text;
    }
}
