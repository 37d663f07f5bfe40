using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Signaling;

/// <summary>
/// The server side of the article's call set-up (docs/SIGNALING.md) on the main namespace:
/// presence through <c>online</c>, and the call events relayed from one socket to another
/// with the sender's real id in place of the target's.
/// </summary>
public sealed class SignalingRelay
{
    private readonly SocketIoNamespace _namespace;
    private readonly ILogger<SignalingRelay> _logger;
    private readonly PresenceAnnouncer _presence;

    public SignalingRelay(SocketIoServer server, SignalingOptions options, ILogger<SignalingRelay> logger)
    {
        _namespace = server.Sockets;
        _logger = logger;
        _presence = new PresenceAnnouncer(_namespace, options.PresenceCoalescing, server.TimeProvider, logger);
        _namespace.OnConnection(OnConnection);
    }

    private void OnConnection(SocketIoSocket socket)
    {
        socket.On(SignalingEvents.Online, e => OnOnline(socket, e));
        foreach (var name in SignalingEvents.Relayed)
        {
            socket.On(name, e => Relay(socket, e));
        }
        socket.Disconnected += (s, _) => _presence.Remove(s.Id);
    }

    private void OnOnline(SocketIoSocket socket, SocketEvent e) =>
        _presence.Set(socket.Id, DisplayName.From(e.Args.Count > 0 ? e.Args[0] : null, socket.Id));

    private void Relay(SocketIoSocket sender, SocketEvent e)
    {
        var to = e.Args.Count > 0 ? e.Args[0] : JValue.CreateNull();
        if (to is not JValue { Type: JTokenType.String } || !_namespace.TryGetSocket((string)to!, out var target))
        {
            _logger.UnknownTarget(e.Name, sender.Id, to.ToString(Formatting.None));
            if (e.WantsAck)
            {
                e.Ack(new JObject { ["error"] = "unknown-target" });
            }
            else
            {
                sender.Emit(SignalingEvents.Error, new JObject { ["event"] = e.Name, ["to"] = to, ["reason"] = "unknown-target" });
            }
            return;
        }
        var args = new object?[e.Args.Count];
        args[0] = sender.Id;
        for (var i = 1; i < args.Length; i++)
        {
            args[i] = e.Args[i];
        }
        target.Emit(e.Name, args);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.Relayed(e.Name, sender.Id, target.Id, e.Args.ToString(Formatting.None));
        }
        if (e.WantsAck)
        {
            e.Ack(new JObject { ["ok"] = true });
        }
    }
}
