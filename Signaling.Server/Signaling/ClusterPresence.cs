using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Signaling.Server.Diagnostics;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Signaling;

/// <summary>
/// Presence across a cluster. A change on any node (a socket going online, renaming, leaving;
/// a node gone) is told to the others with the server-side event <c>presence-changed</c>; each
/// node then fetches every node's sockets and emits the list to its own sockets only. A node
/// fetches only after it heard of the change, so its list holds every change it heard of; one
/// fetch runs at a time, and changes heard meanwhile bring one more: no node ends with a stale
/// list when two nodes change at once, and bursts cost a few fetches, not one per change.
/// </summary>
internal sealed class ClusterPresence : IPresence
{
    public const string ChangedEvent = "presence-changed";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly SocketIoNamespace _namespace;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private FrozenSet<string> _elsewhere = FrozenSet<string>.Empty;
    private int _count;
    private bool _dirty;
    private bool _running;
    private bool _disposed;

    public ClusterPresence(SocketIoNamespace nsp, TimeSpan window, TimeProvider time, ILogger logger)
    {
        _namespace = nsp;
        _window = window;
        _time = time;
        _logger = logger;
        nsp.OnServerSideEmit(ChangedEvent, _ => Schedule());
        nsp.ClusterChanged += _ => Schedule();
    }

    public void Set(SocketIoSocket socket, string name, bool busy)
    {
        PresenceData.Mark(socket, name, busy, _time);
        _logger.Online(socket.Id, name, socket.RemoteAddress, Volatile.Read(ref _count));
        Changed();
    }

    public void Remove(SocketIoSocket socket)
    {
        if (PresenceData.IsOnline(socket.Data))
        {
            _logger.Offline(socket.Id, (string?)socket.Data![PresenceData.Name] ?? socket.Id, Volatile.Read(ref _count));
            Changed();
        }
    }

    public bool IsKnownElsewhere(string socketId) => Volatile.Read(ref _elsewhere).Contains(socketId);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
    }

    private void Changed()
    {
        _namespace.ServerSideEmit(ChangedEvent);
        Schedule();
    }

    private void Schedule()
    {
        lock (_gate)
        {
            _dirty = true;
            if (_running || _disposed)
            {
                return;
            }
            _running = true;
        }
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            if (_window > TimeSpan.Zero)
            {
                await Task.Delay(_window, _time).ConfigureAwait(false);
            }
            lock (_gate)
            {
                _dirty = false;
            }
            try
            {
                await AnnounceAsync().ConfigureAwait(false);
            }
            catch (Exception error)
            {
                // A node did not answer (it may be dying), or Redis is away: look again shortly.
                _logger.PresenceFetchFailed(error.Message);
                await Task.Delay(RetryDelay, _time).ConfigureAwait(false);
                lock (_gate)
                {
                    _dirty = true;
                }
            }
            lock (_gate)
            {
                if (!_dirty || _disposed)
                {
                    _running = false;
                    return;
                }
            }
        }
    }

    private async Task AnnounceAsync()
    {
        var sockets = await _namespace.FetchSocketsAsync().ConfigureAwait(false);
        var list = PresenceData.List(sockets);
        Volatile.Write(ref _elsewhere, sockets.Where(s => s.Local is null).Select(s => s.Id).ToFrozenSet(StringComparer.Ordinal));
        Volatile.Write(ref _count, list.Count);
        ServerMetrics.SetPresenceUsers(list.Count);
        _namespace.Local.Emit(SignalingEvents.Online, list);
    }
}
