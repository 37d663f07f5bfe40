using Signaling.Server.Signaling;

namespace Signaling.Server.Diagnostics;

/// <summary>
/// Counts that change on every message, kept per thread: an increment is a plain add to a field
/// only its own thread writes (no interlocked instruction, no shared cache line, no tag lookup),
/// and the scrape sums the blocks of every thread. Blocks of threads that have ended are folded
/// into one, so the sums never go back and the list stays as long as the live threads.
/// </summary>
internal sealed class ThreadCounts
{
    [ThreadStatic]
    private static ThreadCounts? t_current;

    private static readonly Lock Gate = new();
    private static readonly List<ThreadCounts> Live = [];
    private static readonly ThreadCounts Ended = new(null);

    private readonly Thread? _owner;

    private ThreadCounts(Thread? owner) => _owner = owner;

    /// <summary>The calling thread's block.</summary>
    public static ThreadCounts Current => t_current ?? Register();

    /// <summary>Engine.IO payload bytes read from clients (WebSocket messages, polling bodies).</summary>
    public long BytesReceived;

    /// <summary>Engine.IO payload bytes written to clients.</summary>
    public long BytesSent;

    /// <summary>Socket.IO events received from clients.</summary>
    public long EventsReceived;

    /// <summary>Socket.IO events sent to clients, one per recipient.</summary>
    public long EventsSent;

    /// <summary>Relayed events by the index of their name in <see cref="SignalingEvents.Relayed"/>.</summary>
    public readonly long[] Relayed = new long[SignalingEvents.Relayed.Count];

    /// <summary>The total of one count over every thread, for a scrape.</summary>
    public static long Sum(Func<ThreadCounts, long> count)
    {
        lock (Gate)
        {
            FoldEndedLocked();
            var total = count(Ended);
            foreach (var block in Live)
            {
                total += count(block);
            }
            return total;
        }
    }

    private static ThreadCounts Register()
    {
        var block = new ThreadCounts(Thread.CurrentThread);
        lock (Gate)
        {
            Live.Add(block);
        }
        return t_current = block;
    }

    /// <summary>A thread that has ended writes no more: its counts move to <see cref="Ended"/>.</summary>
    private static void FoldEndedLocked()
    {
        for (var i = Live.Count - 1; i >= 0; i--)
        {
            var block = Live[i];
            if (block._owner!.IsAlive)
            {
                continue;
            }
            Ended.BytesReceived += block.BytesReceived;
            Ended.BytesSent += block.BytesSent;
            Ended.EventsReceived += block.EventsReceived;
            Ended.EventsSent += block.EventsSent;
            for (var e = 0; e < block.Relayed.Length; e++)
            {
                Ended.Relayed[e] += block.Relayed[e];
            }
            Live.RemoveAt(i);
        }
    }
}
