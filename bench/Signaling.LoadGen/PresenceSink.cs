using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>
/// Watches the <c>online</c> lists one socket receives and notes when one holds every expected
/// entry. Entries are counted by their opening braces (ids and names here never contain one), so
/// the O(N²) lists are scanned, not parsed; the complete list is kept for a real check afterwards.
/// </summary>
public sealed class PresenceSink(int expectedEntries, Action onComplete) : IEventSink
{
    /// <summary>How every presence list starts.</summary>
    public static ReadOnlySpan<byte> OnlinePrefix => "42[\"online\","u8;

    private long _messages;
    private long _bytes;

    public long Messages => Volatile.Read(ref _messages);

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>When the first complete list arrived (a <see cref="Stopwatch"/> timestamp), or 0.</summary>
    public long CompletedAt { get; private set; }

    /// <summary>The first complete list, as received.</summary>
    public byte[]? CompleteList { get; private set; }

    public void OnEvent(ReadOnlySpan<byte> packet)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, packet.Length);
        if (CompleteList is not null || !packet.StartsWith(OnlinePrefix))
        {
            return;
        }

        if (packet.Count((byte)'{') == expectedEntries)
        {
            CompletedAt = Stopwatch.GetTimestamp();
            CompleteList = packet.ToArray();
            onComplete();
        }
    }
}
