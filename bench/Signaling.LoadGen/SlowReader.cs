using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>
/// One client that never reads its socket, and one that sends it relayed candidates at a fixed
/// rate: the slow consumer of issue 11, run next to a scenario to see whether the others notice.
/// The sender stops once the server no longer knows the reader (a <c>signaling error</c> comes
/// back: the server closed it), or when disposed.
/// </summary>
public sealed class SlowReader : IEventSink, IAsyncDisposable
{
    private static readonly byte[] SignalingError = "42[\"signaling error\""u8.ToArray();

    private readonly EioConnection _reader;
    private readonly EioConnection _sender;
    private readonly double _rate;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sent;
    private long _closedAt;
    private volatile bool _stop;

    private SlowReader(EioConnection reader, EioConnection sender, double rate)
    {
        _reader = reader;
        _sender = sender;
        _rate = rate;
    }

    /// <summary>Candidates sent to the reader so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>How many candidates had been sent when the server turned out to have closed the reader; null while it has not.</summary>
    public long? SentUntilClosed => Interlocked.Read(ref _closedAt) is > 0 and var sent ? sent : null;

    /// <summary>Connects both and starts sending, at <paramref name="rate"/> candidates a second of ~<paramref name="payloadBytes"/> each.</summary>
    public static async Task<SlowReader> StartAsync(Connector connector, double rate, int payloadBytes, CancellationToken cancellationToken)
    {
        // Never told to receive: what the server sends it fills the kernel's buffers, then the server's.
        var reader = await connector.ConnectAsync(cancellationToken);
        var sender = await connector.ConnectAsync(cancellationToken);
        var slow = new SlowReader(reader, sender, rate);
        sender.StartReceiving(slow);
        var frame = new CandidateFrame(reader.SocketId, payloadBytes);
        var thread = new Thread(() => slow.Run(frame)) { IsBackground = true, Name = "slow reader's sender" };
        thread.Start();
        return slow;
    }

    public void OnEvent(ReadOnlySpan<byte> packet)
    {
        if (packet.StartsWith(SignalingError))
        {
            Interlocked.CompareExchange(ref _closedAt, Math.Max(1, Sent), 0);
            _stop = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop = true;
        await _stopped.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Connector.CloseAllAsync([_reader, _sender]);
    }

    private void Run(CandidateFrame frame)
    {
        try
        {
            MonotonicSleep.PrepareThisThread();
            var buffer = new byte[frame.Length];
            var ticksPerMessage = Stopwatch.Frequency / _rate;
            var begin = Stopwatch.GetTimestamp();
            for (var sent = 0L; !_stop; sent++)
            {
                MonotonicSleep.Until(begin + (long)(sent * ticksPerMessage));
                frame.WriteTo(buffer, sent, Stopwatch.GetTimestamp());
                _sender.Send(buffer);
                Interlocked.Increment(ref _sent);
            }

            _stopped.SetResult();
        }
        catch (Exception exception)
        {
            // The server may close the sender too; the scenario reports what was sent.
            _stopped.SetException(exception);
        }
    }
}
