using System.Net;
using Microsoft.Extensions.Logging;
using Signaling.Server.Diagnostics;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Signaling;

/// <summary>
/// Keeps the presence list and announces it as <c>online</c> to the whole namespace after
/// every change, coalescing bursts: each announcement is the list as it stands when sent,
/// encoded once for all recipients, so every socket ends with the right list.
/// </summary>
internal sealed class PresenceAnnouncer : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PresenceList _list = new();
    private readonly SocketIoNamespace _namespace;
    private readonly ILogger _logger;
    private readonly TimeSpan _window;
    private readonly ITimer _timer;
    private bool _scheduled;

    public PresenceAnnouncer(SocketIoNamespace nsp, TimeSpan window, TimeProvider time, ILogger logger)
    {
        _namespace = nsp;
        _window = window;
        _logger = logger;
        _timer = time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Set(string id, string name, bool busy, IPAddress? address)
    {
        lock (_gate)
        {
            var before = _list.Count;
            _list.Set(id, name, busy);
            ServerMetrics.AddPresenceUsers(_list.Count - before);
            _logger.Online(id, name, address, _list.Count);
            Schedule();
        }
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            if (_list.Remove(id, out var name))
            {
                ServerMetrics.AddPresenceUsers(-1);
                _logger.Offline(id, name, _list.Count);
                Schedule();
            }
        }
    }

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
