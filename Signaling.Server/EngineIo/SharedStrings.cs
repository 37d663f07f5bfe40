namespace Signaling.Server.EngineIo;

/// <summary>
/// One kept copy of the strings that many sessions' handshakes repeat (the url, <c>Host</c>,
/// <c>Origin</c>, <c>User-Agent</c> of an app's clients): a session then keeps a reference to the
/// copy instead of its own, a few hundred bytes of every idle browser connection. A fixed table
/// indexed by hash, each slot holding the last string that landed there, so its memory stays the
/// same whatever clients send; a string that loses its slot is merely not shared. Long strings
/// (cookies, mostly unique) are not kept, so the table holds at most its size times
/// <see cref="MaxLength"/> characters. Lock-free: a slot is one reference, and a race only
/// replaces which copy is kept.
/// </summary>
internal sealed class SharedStrings
{
    /// <summary>The longest string kept: room for a browser's User-Agent.</summary>
    public const int MaxLength = 256;

    private readonly string?[] _slots;

    /// <param name="slots">The table's size, a power of two.</param>
    public SharedStrings(int slots)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "a power of two");
        }

        _slots = new string?[slots];
    }

    /// <summary>The kept copy of <paramref name="value"/>; <paramref name="value"/> itself (now kept) when there is none.</summary>
    public string Share(string value)
    {
        if (value.Length > MaxLength)
        {
            return value;
        }

        var slot = value.GetHashCode() & (_slots.Length - 1);
        var kept = Volatile.Read(ref _slots[slot]);
        if (kept is not null && string.Equals(kept, value, StringComparison.Ordinal))
        {
            return kept;
        }

        Volatile.Write(ref _slots[slot], value);
        return value;
    }
}
