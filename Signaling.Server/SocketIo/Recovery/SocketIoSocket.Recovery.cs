using Newtonsoft.Json.Linq;
using Signaling.Protocol.EngineIo;
using Signaling.Server.SocketIo.Recovery;

namespace Signaling.Server.SocketIo;

/// <summary>
/// Connection state recovery of a socket (see <see cref="SocketRecovery"/>): a socket whose
/// transport failed is away, not gone. It stays in its namespace and rooms, keeps what it is sent,
/// and raises <see cref="Disconnected"/> only if its client does not come back in time; when the
/// client does, this same object carries on (handlers included) on the new connection.
/// </summary>
public sealed partial class SocketIoSocket
{
    // Only for protocol v5 sockets of a namespace with recovery: v4 clients (1.x, 2.x) are never
    // told a pid, so they cannot come back, and their events carry no offset.
    private readonly SocketRecovery? _recovery;

    /// <summary>Whether this socket came back after a dropped transport, as the reference's <c>socket.recovered</c>.</summary>
    public bool Recovered { get; private set; }

    /// <summary>The private session id, when the socket may recover.</summary>
    internal string? Pid => _recovery?.Pid;

    /// <summary>The offset the next event to this socket carries; null when it cannot recover.</summary>
    internal long? NextOffset() => _recovery is null ? null : Namespace.Recovery!.NextOffset();

    /// <summary>The CONNECT answer's data: the socket id and, when it may recover, its private session id.</summary>
    internal JObject ConnectAnswer() => _recovery is { } recovery
        ? new JObject { ["sid"] = Id, ["pid"] = recovery.Pid }
        : new JObject { ["sid"] = Id };

    /// <summary>Takes the returning client and what its CONNECT carried, so middlewares and handlers see its handshake.</summary>
    internal void PrepareResume(SocketIoClient client, JObject? auth, string? namespaceQuery)
    {
        // Sends stay in the buffer until the resume, whichever client is set: the socket is away.
        Client = client;
        _auth = auth;
        _namespaceQuery = namespaceQuery;
        Volatile.Write(ref _handshake, null);
    }

    /// <summary>Moves the socket onto <paramref name="client"/>, replaying what it missed after <paramref name="offset"/>.</summary>
    internal bool TryResume(SocketRecovery recovery, long offset, SocketIoClient client)
    {
        var answer = new OutboundPacket(new Protocol.SocketIo.SocketPacket
        {
            Type = Protocol.SocketIo.SocketPacketType.Connect,
            Namespace = Namespace.Name,
            Data = ConnectAnswer(),
        }).For(client.Version);
        if (!recovery.TryResume(offset, client, answer))
        {
            return false;
        }
        Recovered = true;
        Interlocked.CompareExchange(ref _state, 1, 3);
        return true;
    }

    /// <summary>Resumes a socket claimed from another node: the events kept there first, then what it was sent here since.</summary>
    internal bool TryAdoptAndResume(IReadOnlyList<KeptEvent> missed, long offset, SocketIoClient client) =>
        _recovery!.TryAdopt(missed) && TryResume(_recovery, offset, client);

    /// <summary>A transport failure leaves a socket that may recover away instead of ended.</summary>
    private bool TrySuspend(string reason)
    {
        if (_recovery is not { } recovery || !RecoverableReasons.Contains(reason) || Client.Connection.ClientLeft
            || Interlocked.CompareExchange(ref _state, 3, 1) != 1)
        {
            return false;
        }
        Client.Remove(this);
        FailPendingAcks(reason);
        recovery.Suspend(reason);
        Namespace.Server.Log.RecoverySuspended(Id, reason, Namespace.Recovery!.Options.MaxDisconnectionDuration);
        return true;
    }

    /// <summary>A server disconnecting an away socket means it: the session ends now.</summary>
    private void EndIfAway()
    {
        if (Volatile.Read(ref _state) == 3)
        {
            OnClose(DisconnectReason.ServerNamespaceDisconnect);
        }
    }

    /// <summary>A socket whose session was resumed on another node leaves this one without ending: no <see cref="Disconnected"/>, as the client is still connected there.</summary>
    internal void OnMoved()
    {
        if (Volatile.Read(ref _state) != 3)
        {
            return;
        }
        // Moved before it reads as ended: a sender that found the socket just before passes its event on, not drops it.
        _recovery!.Moved();
        if (Interlocked.CompareExchange(ref _state, 2, 3) != 3)
        {
            return;
        }
        Namespace.Remove(this);
        Namespace.Server.Log.RecoveryMoved(Id);
    }

    /// <summary>A socket made for a claim that came to nothing: it never existed for anyone.</summary>
    internal void Discard()
    {
        if (Interlocked.Exchange(ref _state, 2) != 2)
        {
            _recovery!.Discard();
            Namespace.Remove(this);
        }
    }

    /// <summary>Whether a send must stop here: the socket ended, and not by moving to another node (where what it is sent goes on).</summary>
    private bool Ended => Volatile.Read(ref _state) == 2 && _recovery is not { HasMoved: true };

    private void SendThrough(SocketRecovery recovery, EnginePacket frame, IReadOnlyList<EnginePacket>? frames, long? offset, bool mayRepeat = false)
    {
        if (!recovery.Send(frame, frames, offset, mayRepeat))
        {
            var options = Namespace.Recovery!.Options;
            Namespace.Server.Log.RecoveryOverflowed(Id, options.MaxBufferedPackets, options.MaxBufferedBytes);
            OnClose(recovery.AwayReason);
        }
    }
}
