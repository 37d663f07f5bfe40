using System.Diagnostics;

namespace Signaling.LoadGen;

/// <summary>
/// Sends a fixed offered load, evenly spaced: message k is due at k ÷ R seconds after the start and
/// goes to direction k mod D, so each sender is paced at R ÷ D and the senders are staggered. A
/// dedicated thread sleeps until each message's due time (<see cref="MonotonicSleep"/>, no spin,
/// so the generator's receive loops keep their core) and writes it with a plain blocking send.
/// When the thread wakes late, the messages that have fallen due since are sent at once, one after
/// the other, each stamped with its own send time (catching up rather than skipping, so the
/// offered rate holds); how late each message left is recorded, so a run shows whether the
/// offered load was really even (<see cref="LatenessTicks"/>).
/// </summary>
public sealed class Pacer
{
    private readonly IReadOnlyList<Direction> _directions;
    private readonly double _rate;
    private readonly long _total;
    private readonly List<long> _latenessTicks = [];
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _recording;

    /// <param name="rate">Messages per second, all directions together.</param>
    /// <param name="total">Messages to send before stopping.</param>
    public Pacer(IReadOnlyList<Direction> directions, double rate, long total)
    {
        _directions = directions;
        _rate = rate;
        _total = total;
    }

    /// <summary>Send time − due time of each message sent while recording, in <see cref="Stopwatch"/> ticks; read after <see cref="Finished"/>.</summary>
    public IReadOnlyList<long> LatenessTicks => _latenessTicks;

    /// <summary>Completes when every message is sent, or with the error that stopped the pacer.</summary>
    public Task Finished => _finished.Task;

    public void StartRecording() => _recording = true;

    public void StopRecording() => _recording = false;

    /// <summary>Starts the pacing thread; cancellation stops it at the next message.</summary>
    public void Start(CancellationToken cancellationToken)
    {
        var thread = new Thread(() => Run(cancellationToken)) { IsBackground = true, Name = "pacer" };
        thread.Start();
    }

    private void Run(CancellationToken cancellationToken)
    {
        try
        {
            MonotonicSleep.PrepareThisThread();
            var ticksPerMessage = Stopwatch.Frequency / _rate;
            var begin = Stopwatch.GetTimestamp();
            for (var sent = 0L; sent < _total; sent++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var due = begin + (long)(sent * ticksPerMessage);
                MonotonicSleep.Until(due);
                var sentAt = _directions[(int)(sent % _directions.Count)].SendOne();
                if (_recording)
                {
                    _latenessTicks.Add(sentAt - due);
                }
            }

            _finished.SetResult();
        }
        catch (OperationCanceledException exception)
        {
            _finished.SetCanceled(exception.CancellationToken);
        }
        catch (Exception exception)
        {
            _finished.SetException(exception);
        }
    }
}
