namespace Signaling.LoadGen;

/// <summary>
/// Classifies the sequence numbers one receiver sees from one sender (0, 1, 2, ...): a number seen
/// before is a duplicate; a number lower than one already seen is out of order; numbers sent and
/// never seen are lost. One writer (the receive loop); counters readable from any thread.
/// </summary>
public sealed class SequenceTracker
{
    private ulong[] _seen = new ulong[64];
    private long _next;
    private long _unique;
    private long _duplicates;
    private long _outOfOrder;
    private long _malformed;

    public long Unique => Volatile.Read(ref _unique);

    public long Duplicates => Volatile.Read(ref _duplicates);

    public long OutOfOrder => Volatile.Read(ref _outOfOrder);

    /// <summary>Packets that were not a candidate from the expected sender, or unreadable.</summary>
    public long Malformed => Volatile.Read(ref _malformed);

    public void RecordMalformed() => Interlocked.Increment(ref _malformed);

    /// <summary>Records an arrival; true when it is the first of this number.</summary>
    public bool Record(long sequence)
    {
        if (sequence < 0)
        {
            RecordMalformed();
            return false;
        }

        var word = (int)(sequence >> 6);
        if (word >= _seen.Length)
        {
            Array.Resize(ref _seen, Math.Max(_seen.Length * 2, word + 1));
        }

        var bit = 1UL << (int)(sequence & 63);
        if ((_seen[word] & bit) != 0)
        {
            Interlocked.Increment(ref _duplicates);
            return false;
        }

        _seen[word] |= bit;
        Interlocked.Increment(ref _unique);
        if (sequence < _next)
        {
            Interlocked.Increment(ref _outOfOrder);
        }
        else
        {
            _next = sequence + 1;
        }

        return true;
    }
}
