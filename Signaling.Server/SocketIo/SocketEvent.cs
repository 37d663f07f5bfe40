using Newtonsoft.Json.Linq;

namespace Signaling.Server.SocketIo;

/// <summary>One event a client emitted, as a handler sees it.</summary>
public sealed class SocketEvent
{
    private readonly int? _ackId;
    private int _acked;

    internal SocketEvent(SocketIoSocket socket, string name, JArray args, int? ackId)
    {
        Socket = socket;
        Name = name;
        Args = args;
        _ackId = ackId;
    }

    /// <summary>The socket that sent it.</summary>
    public SocketIoSocket Socket { get; }

    /// <summary>The event's name.</summary>
    public string Name { get; }

    /// <summary>The arguments after the event name; binary ones are bytes tokens.</summary>
    public JArray Args { get; }

    /// <summary>Whether the client passed a callback, i.e. waits for <see cref="Ack"/>.</summary>
    public bool WantsAck => _ackId.HasValue;

    /// <summary>Answers the client's callback with these arguments; only the first call counts.</summary>
    public void Ack(params object?[] args) => Socket.SendAckOnce(_ackId, ref _acked, args);
}
