using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Server.Diagnostics;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Signaling;

/// <summary>
/// The server side of the article's call set-up (docs/SIGNALING.md) on the main namespace:
/// presence through <c>online</c>, and the call events relayed from one socket to another
/// with the sender's real id in place of the target's.
/// </summary>
internal sealed class SignalingRelay
{
    private readonly SocketIoNamespace _namespace;
    private readonly ILogger<SignalingRelay> _logger;
    private readonly IPresence _presence;
    private readonly bool _cluster;
    // One of each for all sockets (the socket comes with the call): a closure per socket was
    // ~160 bytes of every idle connection.
    private readonly Action<SocketEvent> _onOnline;
    private readonly Action<SocketIoSocket, string> _onDisconnected;

    /// <summary>
    /// Puts the relay on <paramref name="server"/>'s main namespace. <paramref name="cluster"/>: whether the
    /// namespace's adapter spans several nodes, so targets may be elsewhere and presence is gathered from every node.
    /// </summary>
    public SignalingRelay(SocketIoServer server, SignalingOptions options, ILogger<SignalingRelay> logger, bool cluster = false)
    {
        _namespace = server.Sockets;
        _logger = logger;
        _cluster = cluster;
        _presence = cluster
            ? new ClusterPresence(_namespace, options.PresenceCoalescing, server.TimeProvider, logger)
            : new PresenceAnnouncer(_namespace, options.PresenceCoalescing, server.TimeProvider, logger);
        _onOnline = e =>
        {
            var sent = e.Args.Count > 0 ? e.Args[0] : null;
            _presence.Set(e.Socket, DisplayName.From(sent, e.Socket.Id), BusyFlag.From(sent));
        };
        _onDisconnected = (socket, _) => _presence.Remove(socket);
        // A socket whose transport drops stays listed while it may come back (docs/SIGNALING.md,
        // "Reconnecting"): presence hears of it only through Disconnected, raised once it is gone for good.
        _namespace.EnableRecovery();
        _namespace.OnConnection(OnConnection);
        _namespace.OnRateLimited(ReportRateLimited);
        // Relayed events are forwarded as received, with only the first argument swapped for the
        // sender's id: no JSON tree is built or re-encoded, and binary attachments pass untouched.
        // One handler per event, which knows the event's slot in the relayed counts.
        for (var i = 0; i < SignalingEvents.Relayed.Count; i++)
        {
            var index = i;
            _namespace.OnRawEvent(SignalingEvents.Relayed[i], e => Relay(e, index));
        }
    }

    private void OnConnection(SocketIoSocket socket)
    {
        socket.On(SignalingEvents.Online, _onOnline);
        socket.Disconnected += _onDisconnected;
        // Only a socket claimed from another node of the cluster is recovered here: it comes online
        // with its data, and lists that dropped it (its old node died) must show it again.
        if (socket.Recovered && PresenceData.IsOnline(socket.Data))
        {
            _presence.Set(socket, (string?)socket.Data![PresenceData.Name] ?? socket.Id, socket.Data[PresenceData.Busy] is JValue { Type: JTokenType.Boolean, Value: true });
        }
    }

    private void Relay(RawEvent e, int eventIndex)
    {
        if (e.Packet.Target is not { } to || !_namespace.TryGetSocket(to, out var target))
        {
            if (_cluster && e.Packet.Target is { } elsewhere)
            {
                RelayElsewhere(e, elsewhere);
            }
            else
            {
                ReportUnknownTarget(e.Parse());
            }
            return;
        }
        e.ForwardTo(target);
        ThreadCounts.Current.Relayed[eventIndex]++;
        LogRelayed(e, target);
        AckDelivered(e);
    }

    private void LogRelayed(RawEvent e, SocketIoSocket target)
    {
        switch (e.Packet.EventName)
        {
            case SignalingEvents.RequestChat:
                _logger.CallRequested(e.Socket.Id, target.Id);
                break;
            case SignalingEvents.StreamOk:
                _logger.CallReady(e.Socket.Id, target.Id);
                break;
            case SignalingEvents.Hangup:
                _logger.HungUp(e.Socket.Id, target.Id);
                break;
        }
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            _logger.Relayed(e.Packet.EventName, e.Socket.Id, target.Id, e.Packet.WithSender(e.Socket.Id));
        }
    }

    /// <summary>A relayed event refused by the sender's rate limit, sent without a callback (with one, the ack says it).</summary>
    private static void ReportRateLimited(SocketIoSocket socket, string eventName, string? to)
    {
        if (SignalingEvents.Relayed.Contains(eventName))
        {
            socket.Emit(SignalingEvents.Error, new JObject { ["event"] = eventName, ["to"] = to, ["reason"] = "rate-limited" });
        }
    }

    /// <summary>
    /// A target on no socket of this node: published at once to the target's own room, so that
    /// one sender's messages keep their order whichever node holds the target. The sender hears
    /// <c>unknown-target</c> only when no node has it: a target seen online on another node is
    /// taken as there; any other is looked for on every node first.
    /// </summary>
    private void RelayElsewhere(RawEvent e, string to)
    {
        e.ForwardTo(_namespace.To(to));
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            _logger.Relayed(e.Packet.EventName, e.Socket.Id, to, "(to another node)");
        }
        if (_presence.IsKnownElsewhere(to))
        {
            AckDelivered(e);
            return;
        }
        _ = ConfirmElsewhereAsync(e, to);
    }

    private async Task ConfirmElsewhereAsync(RawEvent e, string to)
    {
        bool found;
        try
        {
            found = (await _namespace.To(to).FetchSocketsAsync().ConfigureAwait(false)).Count > 0;
        }
        catch (TimeoutException error)
        {
            _logger.TargetCheckFailed(to, error.Message);
            found = false;
        }
        if (found)
        {
            AckDelivered(e);
        }
        else
        {
            // Forwarded already, so it parses.
            ReportUnknownTarget(e.Parse());
        }
    }

    private static void AckDelivered(RawEvent e)
    {
        if (e.WantsAck)
        {
            e.Ack(new JObject { ["ok"] = true });
        }
    }

    /// <summary>With a callback the sender hears through it; without, through <c>signaling error</c>.</summary>
    private void ReportUnknownTarget(SocketEvent e)
    {
        ServerMetrics.UnknownTargets.Add(1);
        var to = e.Args.Count > 0 ? e.Args[0] : JValue.CreateNull();
        var shown = to.ToString(Formatting.None);
        // The target is whatever the client sent, possibly a megabyte of JSON: log its start only.
        _logger.UnknownTarget(e.Name, e.Socket.Id, shown.Length <= 64 ? shown : shown[..64] + "…");
        if (e.WantsAck)
        {
            e.Ack(new JObject { ["error"] = "unknown-target" });
        }
        else
        {
            e.Socket.Emit(SignalingEvents.Error, new JObject { ["event"] = e.Name, ["to"] = to, ["reason"] = "unknown-target" });
        }
    }
}
