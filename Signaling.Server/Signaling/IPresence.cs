using Signaling.Server.SocketIo;

namespace Signaling.Server.Signaling;

/// <summary>Who is online and how the list reaches every socket: on one node (<see cref="PresenceAnnouncer"/>) or across a cluster (<see cref="ClusterPresence"/>).</summary>
internal interface IPresence : IDisposable
{
    /// <summary>The socket went online (or renamed itself, or became busy or free); its data becomes <c>{"name", "onlineAt"[, "busy"]}</c>.</summary>
    void Set(SocketIoSocket socket, string name, bool busy);

    /// <summary>The socket left; nothing happens if it never went online.</summary>
    void Remove(SocketIoSocket socket);

    /// <summary>Whether a socket of another node was online at the last look (a relay target worth sending to at once).</summary>
    bool IsKnownElsewhere(string socketId);
}
