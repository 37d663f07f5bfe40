using System.Diagnostics;
using System.Threading.Channels;

namespace Signaling.LoadGen;

/// <summary>
/// One sender → receiver stream of <c>candidate</c> messages inside a pair. It is the receiving
/// connection's sink, so it sees both ends: what was sent and what arrived, in what order, how late.
/// </summary>
public sealed class Direction : IEventSink
{
    private readonly CandidateFrame _frame;
    private readonly int _window;
    private readonly byte[] _batch;
    private readonly List<long> _latencyTicks = [];

    // Woken by the receiver when window slots free up; capacity 1, so wake-ups coalesce.
    private readonly Channel<bool> _slotsFreed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _freeSlots;
    private long _sent;
    private volatile bool _recordingLatency;

    /// <param name="window">Messages allowed in flight (sent, not yet received); 0 for no limit (paced traffic).</param>
    public Direction(EioConnection sender, EioConnection receiver, int payloadBytes, int window)
    {
        Sender = sender;
        Receiver = receiver;
        _frame = new CandidateFrame(receiver.SocketId, payloadBytes);
        _window = window;
        _freeSlots = window;
        _batch = new byte[_frame.Length * Math.Max(window, 1)];
    }

    public EioConnection Sender { get; }

    public EioConnection Receiver { get; }

    public SequenceTracker Tracker { get; } = new();

    public long Sent => Volatile.Read(ref _sent);

    public int FrameBytes => _frame.Length;

    /// <summary>Send → receive delays in <see cref="Stopwatch"/> ticks; read only after the traffic stopped.</summary>
    public IReadOnlyList<long> LatencyTicks => _latencyTicks;

    /// <summary>Latencies are kept only between these two calls (the warm-up is left out).</summary>
    public void StartRecordingLatency() => _recordingLatency = true;

    public void StopRecordingLatency() => _recordingLatency = false;

    /// <summary>
    /// Window mode: waits for free slots, then fills them all with one write of back-to-back
    /// frames (one system call for many messages keeps the generator cheap).
    /// </summary>
    public async ValueTask SendWindowAsync(CancellationToken stop, CancellationToken abort)
    {
        int count;
        while ((count = Interlocked.Exchange(ref _freeSlots, 0)) == 0)
        {
            await _slotsFreed.Reader.ReadAsync(stop);
        }

        await SendAsync(count, abort);
    }

    /// <summary>
    /// Paced mode: one message now, with a blocking send (the pacer's own thread calls it);
    /// returns the send time stamped in the message.
    /// </summary>
    public long SendOne()
    {
        var now = Stopwatch.GetTimestamp();
        _frame.WriteTo(_batch, _sent, now);
        Sender.Send(_batch.AsSpan(0, _frame.Length));
        Volatile.Write(ref _sent, _sent + 1);
        return now;
    }

    public void OnEvent(ReadOnlySpan<byte> packet)
    {
        if (packet.StartsWith(PresenceSink.OnlinePrefix))
        {
            return; // a presence list after the pairs went online (a cluster sends a few), not a candidate
        }

        if (!CandidateFrame.TryRead(packet, Sender.SocketIdUtf8, out var sequence, out var sentAt))
        {
            Tracker.RecordMalformed();
            return;
        }

        if (!Tracker.Record(sequence))
        {
            return; // a duplicate frees no window slot
        }

        if (_recordingLatency)
        {
            _latencyTicks.Add(Stopwatch.GetTimestamp() - sentAt);
        }

        if (_window > 0)
        {
            Interlocked.Increment(ref _freeSlots);
            _slotsFreed.Writer.TryWrite(true);
        }
    }

    private async ValueTask SendAsync(int count, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        for (var index = 0; index < count; index++)
        {
            _frame.WriteTo(_batch.AsSpan(index * _frame.Length), _sent + index, now);
        }

        await Sender.SendAsync(_batch.AsMemory(0, count * _frame.Length), cancellationToken);
        Volatile.Write(ref _sent, _sent + count);
    }
}
