using Signaling.Protocol.EngineIo;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>
/// The recovery side of one protocol v5 socket: its private session id, the events it was last
/// sent with their offsets, and whether it is away. Every send of the socket passes through here
/// under one lock, so an event is either kept for the replay or sent after it, never both or lost.
/// </summary>
/// <remarks>
/// Events are kept even while the socket is connected: a transport that dies takes what it was
/// still carrying with it, and the client's offset says where it stopped. The buffer is a ring
/// bounded in count and bytes (<see cref="RecoveryOptions.MaxBufferedPackets"/>); events that the
/// heartbeat proves delivered (<see cref="EngineIo.IEngineConnection.DeliveredWithin"/>) are let go
/// too, all but the newest of them, which a client that has missed nothing comes back with.
/// </remarks>
internal sealed class SocketRecovery
{
    private const int InitialCapacity = 4;

    // How long after a move an event may still come twice (the old node passes on what it heard
    // until it learns of the claim): the check for repeats is skipped on the relay's hot path after it.
    private static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly NamespaceRecovery _owner;
    private readonly KeptTexts _texts = new();
    private SentEvent[] _ring = [];
    private int _first;
    private int _count;
    private long _bytes;
    private bool _away;
    // Away and in the store: a socket made for a claim is away before that, and its events are its own.
    private bool _kept;
    // Resumed on another node: what is still sent here (a sender that found the socket just before) goes there.
    private bool _moved;
    private long _adoptedAt;
    private ITimer? _expiry;

    // away: true for a socket claimed from another node; it keeps what it is sent until it resumes.
    public SocketRecovery(NamespaceRecovery owner, SocketIoSocket socket, string pid, bool away = false)
    {
        _owner = owner;
        Socket = socket;
        Pid = pid;
        _away = away;
    }

    public string Pid { get; }

    public SocketIoSocket Socket { get; }

    /// <summary>Why the transport ended, while away: the reason the socket ends with if it does not come back.</summary>
    public string AwayReason { get; private set; } = "";

    /// <summary>Whether the session was resumed on another node (see <see cref="Moved"/>).</summary>
    public bool HasMoved => Volatile.Read(ref _moved);

    /// <summary>
    /// Sends <paramref name="frame"/> (or <paramref name="frames"/>, text then attachments) to the
    /// socket's connection, keeping it when it carries an <paramref name="offset"/>; while away,
    /// only keeps it. False when an away socket has no room left: the caller ends the session.
    /// An event that <paramref name="mayRepeat"/> (one heard from another node, which may hear it
    /// twice while a session moves between nodes) is dropped when its offset is kept already.
    /// </summary>
    public bool Send(EnginePacket frame, IReadOnlyList<EnginePacket>? frames, long? offset, bool mayRepeat = false)
    {
        lock (_gate)
        {
            if (_moved)
            {
                // The store finds the session claimed and passes the event on to the socket's new node.
                if (offset is { } passed)
                {
                    _owner.Store.KeptWhileAway(this, passed, frames ?? [frame]);
                }
                return true;
            }
            if (offset is { } value)
            {
                if (mayRepeat && MayHaveRepeats() && IndexAfter(value) >= 0)
                {
                    return true;
                }
                if (!Keep(value, _owner.Time.GetTimestamp(), frame, frames, delivered: !_away))
                {
                    return false;
                }
                if (_kept)
                {
                    _owner.Store.KeptWhileAway(this, value, frames ?? [frame]);
                }
            }
            if (!_away)
            {
                var connection = Socket.Client.Connection;
                if (frames is null)
                {
                    connection.Send(frame);
                }
                else
                {
                    connection.Send(frames);
                }
            }
            return true;
        }
    }

    /// <summary>The transport is gone: from now on events are only kept, until the client returns or the window ends.</summary>
    public void Suspend(string reason)
    {
        lock (_gate)
        {
            _away = _kept = true;
            AwayReason = reason;
            // Under the lock (which Snapshot enters again): an event kept next must reach a shared store after the session.
            _owner.Store.Keep(this);
        }
        _expiry = _owner.Time.CreateTimer(static state => ((SocketRecovery)state!).Expire(), this, _owner.Options.MaxDisconnectionDuration, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Puts the socket back on <paramref name="client"/>: sends every kept event after
    /// <paramref name="offset"/>, in order, then the CONNECT answer (as the reference does; the client
    /// holds the events until the CONNECT), all before any event sent from now on.
    /// False when <paramref name="offset"/> is not among the kept events: what followed it is lost.
    /// </summary>
    public bool TryResume(long offset, SocketIoClient client, IReadOnlyList<EnginePacket> connectAnswer)
    {
        StopExpiry();
        lock (_gate)
        {
            var start = IndexAfter(offset);
            if (start < 0)
            {
                return false;
            }
            Socket.Client = client;
            // Replayed events count as sent now: only a heartbeat on this connection proves them delivered.
            var now = _owner.Time.GetTimestamp();
            for (var i = start; i < _count; i++)
            {
                ref var kept = ref _ring[(_first + i) % _ring.Length];
                client.Connection.Send(FramesOf(kept));
                kept = kept with { SentAt = now, Delivered = true };
            }
            client.Connection.Send(connectAnswer);
            _away = _kept = false;
            return true;
        }
    }

    /// <summary>The kept events, oldest first, for a shared store to copy when the socket goes away.</summary>
    public IReadOnlyList<KeptEvent> Snapshot()
    {
        lock (_gate)
        {
            var kept = new KeptEvent[_count];
            for (var i = 0; i < _count; i++)
            {
                var sent = _ring[(_first + i) % _ring.Length];
                kept[i] = new KeptEvent(sent.Offset, FramesOf(sent));
            }
            return kept;
        }
    }

    /// <summary>
    /// Puts the events another node kept for this session before those this socket was sent
    /// since it was claimed (the same event heard by both is kept once); false when they do not fit.
    /// </summary>
    public bool TryAdopt(IReadOnlyList<KeptEvent> missed)
    {
        lock (_gate)
        {
            var now = _owner.Time.GetTimestamp();
            _adoptedAt = now;
            // Read out before the ring (and the chunks holding its texts) is cleared.
            var heard = new List<(SentEvent Sent, IReadOnlyList<EnginePacket> Frames)>(_count);
            for (var i = 0; i < _count; i++)
            {
                var sent = _ring[(_first + i) % _ring.Length];
                heard.Add((sent, FramesOf(sent)));
            }
            Clear();
            var offsets = new HashSet<long>();
            foreach (var (offset, frames) in missed)
            {
                if (offsets.Add(offset) && !Keep(offset, now, frames, delivered: false))
                {
                    return false;
                }
            }
            return heard.TrueForAll(h => offsets.Contains(h.Sent.Offset) || Keep(h.Sent.Offset, h.Sent.SentAt, h.Frames, h.Sent.Delivered));
        }
    }

    /// <summary>
    /// The session was resumed on another node: lets go of it here, without ending the socket there;
    /// an event sent here from now on is passed on to that node.
    /// </summary>
    public void Moved()
    {
        StopExpiry();
        lock (_gate)
        {
            _moved = true;
            Clear();
        }
    }

    /// <summary>A socket made for a claim that came to nothing: lets go of what it was sent meanwhile.</summary>
    public void Discard()
    {
        StopExpiry();
        lock (_gate)
        {
            Clear();
        }
    }

    /// <summary>The socket ended for good: forgets the session and what it kept.</summary>
    public void End()
    {
        StopExpiry();
        _owner.Store.TryForget(this);
        lock (_gate)
        {
            Clear();
            _ring = [];
        }
    }

    private void StopExpiry() => Interlocked.Exchange(ref _expiry, null)?.Dispose();

    private void Expire()
    {
        if (_owner.Store.TryForget(this))
        {
            _owner.Log.RecoveryExpired(Socket.Id, _owner.Options.MaxDisconnectionDuration);
            Socket.OnClose(AwayReason);
        }
    }

    /// <summary>Whether an event heard from another node may be one this socket has: while away, or shortly after it moved here.</summary>
    private bool MayHaveRepeats() => _away || (_adoptedAt != 0 && _owner.Time.GetElapsedTime(_adoptedAt) < RepeatWindow);

    /// <summary>Where the replay after <paramref name="offset"/> starts, or -1 when that event is not kept.</summary>
    private int IndexAfter(long offset)
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            if (_ring[(_first + i) % _ring.Length].Offset == offset)
            {
                return i + 1;
            }
        }
        return -1;
    }

    private bool Keep(long offset, long sentAt, IReadOnlyList<EnginePacket> frames, bool delivered) =>
        frames is [{ IsBinary: false } text] ? Keep(offset, sentAt, text, null, delivered) : Keep(offset, sentAt, frames[0], frames, delivered);

    /// <summary>Appends to the ring, dropping the oldest events already sent to make room; false when only unsent ones could go.</summary>
    private bool Keep(long offset, long sentAt, EnginePacket frame, IReadOnlyList<EnginePacket>? frames, bool delivered)
    {
        var options = _owner.Options;
        var size = SizeOf(frame, frames);
        if (size > options.MaxBufferedBytes)
        {
            // Too big to keep: any replay would have to skip it, so no earlier offset may be replayed.
            if (!delivered)
            {
                return false;
            }
            Clear();
            return true;
        }
        if (!_away)
        {
            DropConfirmed(sentAt);
        }
        while (_count > 0 && (_count >= options.MaxBufferedPackets || _bytes + size > options.MaxBufferedBytes))
        {
            if (!_ring[_first].Delivered)
            {
                return false;
            }
            DropOldest();
        }
        if (_count == _ring.Length)
        {
            Grow(options.MaxBufferedPackets);
        }
        object kept = frames ?? (object)frame.Text!;
        var start = 0;
        if (frames is null && frame.Text!.Length <= KeptTexts.MaxLength)
        {
            (kept, start) = _texts.Add(frame.Text);
        }
        _ring[(_first + _count) % _ring.Length] = new SentEvent(offset, sentAt, kept, start, size, delivered);
        _count++;
        _bytes += size;
        return true;
    }

    /// <summary>Drops the oldest events while the one after them is proven delivered too: the client's offset is at or past it.</summary>
    private void DropConfirmed(long now)
    {
        var bound = Socket.Client.Connection.DeliveredWithin;
        while (_count > 1 && _owner.Time.GetElapsedTime(_ring[(_first + 1) % _ring.Length].SentAt, now) > bound)
        {
            DropOldest();
        }
    }

    private void DropOldest()
    {
        if (_ring[_first].Frames is char[] chunk)
        {
            _texts.Release(chunk);
        }
        _bytes -= _ring[_first].Size;
        _ring[_first] = default;
        _first = (_first + 1) % _ring.Length;
        _count--;
    }

    private void Grow(int limit)
    {
        var grown = new SentEvent[Math.Clamp(_ring.Length * 2, InitialCapacity, Math.Max(limit, InitialCapacity))];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _ring[(_first + i) % _ring.Length];
        }
        _ring = grown;
        _first = 0;
    }

    private void Clear()
    {
        Array.Clear(_ring);
        _first = _count = 0;
        _bytes = 0;
        _texts.Clear();
    }

    private static IReadOnlyList<EnginePacket> FramesOf(SentEvent sent) => sent.Frames switch
    {
        IReadOnlyList<EnginePacket> frames => frames,
        char[] chunk => [EnginePacket.Message(new string(chunk, sent.Start, sent.Size / sizeof(char)))],
        _ => [EnginePacket.Message((string)sent.Frames)],
    };

    private static int SizeOf(EnginePacket frame, IReadOnlyList<EnginePacket>? frames)
    {
        if (frames is null)
        {
            return (frame.Text?.Length ?? 0) * sizeof(char);
        }
        var size = 0;
        foreach (var part in frames)
        {
            size += part.IsBinary ? part.Binary.Length : (part.Text?.Length ?? 0) * sizeof(char);
        }
        return size;
    }

    /// <summary>
    /// One kept event: when it was sent, its frames (a single text frame as the <see cref="KeptTexts"/>
    /// chunk holding it from <paramref name="Start"/>, or as its string when too long for one; the
    /// list when binary attachments follow), its size, and whether a live transport took it.
    /// </summary>
    private readonly record struct SentEvent(long Offset, long SentAt, object Frames, int Start, int Size, bool Delivered);
}
