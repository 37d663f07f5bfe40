using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Signaling.LoadGen;

/// <summary>
/// A pre-encoded WebSocket frame carrying <c>42["candidate","&lt;to&gt;",{...}]</c> whose sequence
/// number and send timestamp sit at fixed offsets as fixed-width digit strings, so sending costs a
/// copy and two in-place number writes, and reading back costs one marker search and two digit
/// parses: no JSON on the hot path. Strings rather than numbers because JSON forbids leading zeros.
/// </summary>
public sealed class CandidateFrame
{
    private const int SequenceDigits = 10;
    private const int TimestampDigits = 19;

    private static readonly byte[] SequenceMarker = "{\"seq\":\""u8.ToArray();
    private static readonly byte[] TimestampMarker = "\",\"sentAt\":\""u8.ToArray();
    private static readonly byte[] EventPrefix = "42[\"candidate\",\""u8.ToArray();
    private static readonly StandardFormat SequenceFormat = new('D', SequenceDigits);
    private static readonly StandardFormat TimestampFormat = new('D', TimestampDigits);

    private readonly byte[] _frame;
    private readonly int _sequenceOffset;
    private readonly int _timestampOffset;

    /// <param name="toId">The target's socket id, as the sender addresses it.</param>
    /// <param name="payloadBytes">The size of the JSON payload object (the candidate); at least its fixed part, 159 bytes.</param>
    public CandidateFrame(string toId, int payloadBytes)
    {
        var head = $"42[\"candidate\",\"{toId}\",{{\"seq\":\"{new string('0', SequenceDigits)}\",\"sentAt\":\"{new string('0', TimestampDigits)}\",\"candidate\":\"candidate:842163049 1 udp 1677729535 192.0.2.1 50000 typ srflx";
        const string tail = "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}]";
        var payloadStart = head.IndexOf("{\"seq\"", StringComparison.Ordinal);
        var fixedPayload = head.Length - payloadStart + tail.Length;
        var packet = Encoding.UTF8.GetBytes(head + new string('x', Math.Max(0, payloadBytes - fixedPayload)) + tail);
        _frame = WebSocketFrame.Encode(WebSocketFrame.Text, packet);
        _sequenceOffset = WebSocketFrame.HeaderLength(packet.Length) + payloadStart + SequenceMarker.Length;
        _timestampOffset = _sequenceOffset + SequenceDigits + TimestampMarker.Length;
    }

    /// <summary>Bytes of one frame on the wire.</summary>
    public int Length => _frame.Length;

    /// <summary>Writes the frame of message <paramref name="sequence"/> at the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination, long sequence, long timestamp)
    {
        _frame.CopyTo(destination);
        Utf8Formatter.TryFormat(sequence, destination.Slice(_sequenceOffset, SequenceDigits), out _, SequenceFormat);
        Utf8Formatter.TryFormat(timestamp, destination.Slice(_timestampOffset, TimestampDigits), out _, TimestampFormat);
    }

    /// <summary>
    /// Reads a relayed candidate: checks it is a <c>candidate</c> event from
    /// <paramref name="expectedFrom"/> and extracts the numbers the sender stamped.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> expectedFrom, out long sequence, out long timestamp)
    {
        sequence = 0;
        timestamp = 0;
        if (!packet.StartsWith(EventPrefix))
        {
            return false;
        }

        var rest = packet[EventPrefix.Length..];
        if (!rest.StartsWith(expectedFrom) || !rest[expectedFrom.Length..].StartsWith("\","u8))
        {
            return false;
        }

        var marker = rest.IndexOf(SequenceMarker);
        if (marker < 0)
        {
            return false;
        }

        var numbers = rest[(marker + SequenceMarker.Length)..];
        return numbers.Length >= SequenceDigits + TimestampMarker.Length + TimestampDigits
            && Utf8Parser.TryParse(numbers[..SequenceDigits], out sequence, out var sequenceLength)
            && sequenceLength == SequenceDigits
            && numbers[SequenceDigits..].StartsWith(TimestampMarker)
            && Utf8Parser.TryParse(numbers.Slice(SequenceDigits + TimestampMarker.Length, TimestampDigits), out timestamp, out var timestampLength)
            && timestampLength == TimestampDigits;
    }
}
