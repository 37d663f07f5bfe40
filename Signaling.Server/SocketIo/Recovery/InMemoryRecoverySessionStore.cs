using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Signaling.Protocol.EngineIo;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>The sessions of one namespace in this process; a client must come back to the same process.</summary>
internal sealed class InMemoryRecoverySessionStore : IRecoverySessionStore
{
    private readonly ConcurrentDictionary<string, SocketRecovery> _sessions = new(StringComparer.Ordinal);

    public long FirstOffset => 0;

    public bool IsShared => false;

    public void Keep(SocketRecovery session) => _sessions[session.Pid] = session;

    public void KeptWhileAway(SocketRecovery session, long offset, IReadOnlyList<EnginePacket> frames)
    {
        // The session itself holds them.
    }

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

    public Task<ClaimedSession?> ClaimElsewhereAsync(string pid) => Task.FromResult<ClaimedSession?>(null);

    public void Claimed(ClaimedSession session, bool resumed)
    {
        // No other node kept it.
    }
}
