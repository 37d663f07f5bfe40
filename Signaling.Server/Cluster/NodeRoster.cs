using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Cluster;

/// <summary>
/// Which other nodes are alive, from their heartbeats: every node announces itself every
/// <see cref="RedisOptions.HeartbeatInterval"/>, and one silent for
/// <see cref="RedisOptions.HeartbeatTimeout"/> is gone (a node killed outright, whose Redis
/// connection may linger). A node that stops says so. Either way the namespace hears
/// <see cref="SocketIoNamespace.ClusterChanged"/>.
/// </summary>
internal sealed class NodeRoster : IDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly SocketIoNamespace _namespace;
    private readonly RedisOptions _options;
    private readonly ILogger _logger;
    private readonly Action _sendHeartbeat;
    private readonly ConcurrentDictionary<string, long> _lastHeard = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private long _lastSent;

    public NodeRoster(SocketIoNamespace nsp, RedisOptions options, ILogger logger, Action sendHeartbeat)
    {
        _namespace = nsp;
        _options = options;
        _logger = logger;
        _sendHeartbeat = sendHeartbeat;
        _lastSent = nsp.Server.TimeProvider.GetTimestamp();
        // Silence is checked every second, not every heartbeat: a dead node is gone within the timeout plus a second.
        var check = options.HeartbeatInterval < CheckInterval ? options.HeartbeatInterval : CheckInterval;
        _timer = nsp.Server.TimeProvider.CreateTimer(_ => Tick(), null, check, check);
    }

    /// <summary>Other nodes heard from within the timeout.</summary>
    public int Count => _lastHeard.Count;

    /// <summary>Any message of a node counts as a heartbeat.</summary>
    public void Heard(string uid) => _lastHeard[uid] = _namespace.Server.TimeProvider.GetTimestamp();

    public void Left(string uid)
    {
        if (_lastHeard.TryRemove(uid, out _))
        {
            Gone(uid, "it stopped");
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        var time = _namespace.Server.TimeProvider;
        if (time.GetElapsedTime(_lastSent) >= _options.HeartbeatInterval - CheckInterval / 2)
        {
            _lastSent = time.GetTimestamp();
            _sendHeartbeat();
        }
        foreach (var (uid, heard) in _lastHeard)
        {
            if (time.GetElapsedTime(heard) > _options.HeartbeatTimeout && _lastHeard.TryRemove(uid, out _))
            {
                Gone(uid, "its heartbeat stopped");
            }
        }
    }

    private void Gone(string uid, string why)
    {
        _logger.NodeGone(uid, _namespace.Name, why);
        _namespace.OnClusterChanged($"node {uid} left");
    }
}
