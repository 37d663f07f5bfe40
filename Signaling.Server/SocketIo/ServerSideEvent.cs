using Newtonsoft.Json.Linq;

namespace Signaling.Server.SocketIo;

/// <summary>An event another node of the cluster sent with <see cref="SocketIoNamespace.ServerSideEmit"/>.</summary>
public sealed class ServerSideEvent
{
    private readonly Action<JToken>? _ack;
    private int _acked;

    internal ServerSideEvent(string name, JArray args, Action<JToken>? ack)
    {
        Name = name;
        Args = args;
        _ack = ack;
    }

    /// <summary>The event's name.</summary>
    public string Name { get; }

    /// <summary>The arguments after the event name.</summary>
    public JArray Args { get; }

    /// <summary>Whether the sender waits for an answer (<see cref="SocketIoNamespace.ServerSideEmitWithAckAsync"/>).</summary>
    public bool WantsAck => _ack is not null;

    /// <summary>Answers the sender; only the first call counts, and only one value travels (as with Node nodes).</summary>
    public void Ack(object? value)
    {
        if (_ack is not null && Interlocked.Exchange(ref _acked, 1) == 0)
        {
            _ack(JsonArguments.ToToken(value));
        }
    }
}
