using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>The sessions of one namespace in this process; a client must come back to the same process.</summary>
internal sealed class InMemoryRecoverySessionStore : IRecoverySessionStore
{
    private readonly ConcurrentDictionary<string, SocketRecovery> _sessions = new(StringComparer.Ordinal);

    public void Keep(SocketRecovery session) => _sessions[session.Pid] = session;

    public bool TryClaim(string pid, [MaybeNullWhen(false)] out SocketRecovery session) => _sessions.TryRemove(pid, out session);

    public bool TryForget(SocketRecovery session) => _sessions.TryRemove(KeyValuePair.Create(session.Pid, session));

    public IReadOnlyList<SocketRecovery> TakeAll()
    {
        var taken = new List<SocketRecovery>();
        foreach (var pid in _sessions.Keys)
        {
            if (_sessions.TryRemove(pid, out var session))
            {
                taken.Add(session);
            }
        }
        return taken;
    }
}
