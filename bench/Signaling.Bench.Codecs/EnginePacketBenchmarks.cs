using BenchmarkDotNet.Attributes;
using Signaling.Protocol.EngineIo;

namespace Signaling.Bench.Codecs;

/// <summary>
/// One Engine.IO packet per WebSocket frame, Engine.IO v3 and v4. Decode takes the frame's text (or
/// bytes); Encode makes what the WebSocket transport sends: UTF-8 bytes of a text packet or the binary
/// frame, written into a reused buffer as the transport writes into a pooled one, and the base64 text
/// form as a string.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class EnginePacketBenchmarks
{
    private byte[] _buffer = [];

    [ParamsSource(nameof(Cases))]
    public EnginePacketCase Case { get; set; } = null!;

    public static IEnumerable<EnginePacketCase> Cases => EnginePacketCase.All();

    [GlobalSetup]
    public void Setup()
    {
        _buffer = new byte[64 * 1024];
        SetupCheck.SamePackets([Case.Packet], [Decode()], $"{Case}: decoded packet");

        int length = Encode();
        if (Case.Frame is not null)
        {
            SetupCheck.That(_buffer.AsSpan(0, length).SequenceEqual(Case.Frame), $"{Case}: encoded binary frame");
        }
        else if (Case.Packet.IsBinary)
        {
            SetupCheck.Equal(Case.Text!, EnginePacketCodec.EncodeText(Case.Packet, Case.Version), $"{Case}: encoded base64 text");
        }
        else
        {
            SetupCheck.Equal(Case.Text!, System.Text.Encoding.UTF8.GetString(_buffer, 0, length), $"{Case}: encoded UTF-8 text frame");
        }
    }

    [Benchmark]
    public EnginePacket Decode() => Case.Frame is null
        ? EnginePacketCodec.DecodeText(Case.Text!, Case.Version)
        : EnginePacketCodec.DecodeBinary(Case.Frame, Case.Version);

    /// <summary>Returns the length of what was written (for base64, of the text).</summary>
    [Benchmark]
    public int Encode()
    {
        // Sized first, as the transport does to rent its buffer.
        EnginePacket packet = Case.Packet;
        if (Case.Frame is not null)
        {
            EnsureRoom(EnginePacketCodec.GetBinaryFrameLength(packet, Case.Version));
            return EnginePacketCodec.EncodeBinary(packet, Case.Version, _buffer);
        }

        if (packet.IsBinary)
        {
            return EnginePacketCodec.EncodeText(packet, Case.Version).Length;
        }

        EnsureRoom(EnginePacketCodec.GetUtf8ByteCount(packet));
        return EnginePacketCodec.EncodeUtf8(packet, _buffer);
    }

    private void EnsureRoom(int length)
    {
        if (length > _buffer.Length)
        {
            throw new InvalidOperationException($"{Case}: a {length}-byte frame does not fit the benchmark's buffer");
        }
    }
}
