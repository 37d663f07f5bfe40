using Microsoft.Extensions.Logging;
using Signaling.Server.Diagnostics;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Signaling;

/// <summary>
/// Keeps the presence list and announces it as <c>online</c> to the whole namespace after
/// every change, coalescing bursts: each announcement is the list as it stands when sent,
/// encoded once for all recipients, so every socket ends with the right list.
/// </summary>
internal sealed class PresenceAnnouncer : IPresence
{
    private readonly Lock _gate = new();
    private readonly PresenceList _list = new();
    private readonly SocketIoNamespace _namespace;
    private readonly ILogger _logger;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private bool _scheduled;

    public PresenceAnnouncer(SocketIoNamespace nsp, TimeSpan window, TimeProvider time, ILogger logger)
    {
        _namespace = nsp;
        _window = window;
        _logger = logger;
        _time = time;
        _timer = time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Set(SocketIoSocket socket, string name, bool busy)
    {
        PresenceData.Mark(socket, name, busy, _time);
        lock (_gate)
        {
            var before = _list.Count;
            _list.Set(socket.Id, name, busy);
            ServerMetrics.AddPresenceUsers(_list.Count - before);
            _logger.Online(socket.Id, name, socket.RemoteAddress, _list.Count);
            Schedule();
        }
    }

    public void Remove(SocketIoSocket socket)
    {
        lock (_gate)
        {
            if (_list.Remove(socket.Id, out var name))
            {
                ServerMetrics.AddPresenceUsers(-1);
                _logger.Offline(socket.Id, name, _list.Count);
                Schedule();
            }
        }
    }

    /// <summary>There is no other node.</summary>
    public bool IsKnownElsewhere(string socketId) => false;

    public void Dispose() => _timer.Dispose();

    private void Schedule()
    {
        if (_window <= TimeSpan.Zero)
        {
            Announce();
        }
        else if (!_scheduled)
        {
            _scheduled = true;
            _timer.Change(_window, Timeout.InfiniteTimeSpan);
        }
    }

    private void Flush()
    {
        lock (_gate)
        {
            _scheduled = false;
            Announce();
        }
    }

    // Under the lock, so announcements leave in the order of the changes they reflect.
    private void Announce() => _namespace.Emit(SignalingEvents.Online, _list.Snapshot());
}
