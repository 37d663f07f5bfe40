using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Newtonsoft.Json.Linq;
using Signaling.Protocol;
using Signaling.Protocol.EngineIo;
using Signaling.Protocol.SocketIo;
using Signaling.Server.Diagnostics;
using Signaling.Server.EngineIo;

namespace Signaling.Server.SocketIo;

/// <summary>
/// The Socket.IO side of one Engine.IO connection: decodes its packets, joins namespaces,
/// and routes each packet to the socket of its namespace.
/// </summary>
internal sealed partial class SocketIoClient
{
    private readonly SocketIoServer _server;
    // Kept only while a binary packet waits for its attachments, else made per decoded packet:
    // relayed events take the raw path and never need one, and an idle connection then holds none.
    private SocketPacketDecoder? _decoder;
    // One socket per joined namespace, nearly always just one: a small array replaced on join and
    // leave and read without a lock on every packet (a concurrent dictionary here cost ~0.5 KB per
    // idle connection).
    private SocketIoSocket[] _sockets = [];
    private ITimer? _connectTimer;
    private PendingRawEvent? _pendingRaw;
    private InboundRateLimiter _limits;
    // The rate limit's verdict on the last text packet, which its binary attachments follow.
    private InboundRateLimiter.Verdict _verdict;
    // Set when the connection ends: a socket recovered from another node joins after an await, and must see it.
    private volatile bool _closed;

    public SocketIoClient(SocketIoServer server, IEngineConnection connection)
    {
        _server = server;
        Connection = connection;
        Version = connection.Version == EngineIoVersion.V3 ? SocketIoVersion.V4 : SocketIoVersion.V5;
        _limits = new InboundRateLimiter(server.Options.RateLimit, server.TimeProvider.GetTimestamp());
    }

    public IEngineConnection Connection { get; }

    public SocketIoVersion Version { get; }

    /// <summary>
    /// Protocol v4 clients are put into <c>/</c> from the start; v5 clients must ask. Either must
    /// have joined a namespace within the connect timeout: a v4 client refused from <c>/</c>
    /// has joined nothing either.
    /// </summary>
    public void Start()
    {
        var timeout = _server.Options.ConnectTimeout;
        _connectTimer = _server.TimeProvider.CreateTimer(_ => OnConnectTimeout(timeout), null, timeout, Timeout.InfiniteTimeSpan);
        if (Version == SocketIoVersion.V4)
        {
            Connect("/", auth: null, namespaceQuery: null);
        }
    }

    public void OnMessage(EnginePacket message)
    {
        if (!TakeRateLimit(message))
        {
            return;
        }
        SocketPacket? packet;
        try
        {
            if (message.IsBinary && _pendingRaw is { } raw)
            {
                CollectAttachment(raw, message.Binary);
                return;
            }
            if (!message.IsBinary)
            {
                if (_pendingRaw is not null)
                {
                    throw new ProtocolException("Got a text packet while binary attachments were due");
                }
                if (TryHandleRaw(message.Text ?? ""))
                {
                    return;
                }
            }
            var decoder = _decoder ?? new SocketPacketDecoder(Version, _server.DecodeLimits);
            packet = message.IsBinary ? decoder.AddAttachment(message.Binary) : decoder.Decode(message.Text ?? "");
            _decoder = decoder.AwaitingAttachments ? decoder : null;
        }
        catch (ProtocolException error)
        {
            _server.Log.MalformedPacket(Connection.Id, error.Message);
            Connection.Close(DisconnectReason.ParseError);
            return;
        }
        if (packet is not null)
        {
            Dispatch(packet);
        }
    }

    public void OnClose(string reason)
    {
        _closed = true;
        StopConnectTimer();
        foreach (var socket in Volatile.Read(ref _sockets))
        {
            socket.OnClose(reason);
        }
    }

    /// <summary>Disposes the connect timer and lets it go: a disposed timer kept by every idle client was ~250 bytes each.</summary>
    private void StopConnectTimer() => Interlocked.Exchange(ref _connectTimer, null)?.Dispose();

    public void Remove(SocketIoSocket socket) => UpdateSockets(static (sockets, gone) => Array.FindAll(sockets, s => s != gone), socket);

    /// <summary>
    /// EVENT and BINARY_EVENT packets whose namespace has a raw handler for their name skip the
    /// JSON trees: validated by the splice parser, they go to the handler as received.
    /// </summary>
    private bool TryHandleRaw(string text)
    {
        if (!_server.HasRawHandlers || _decoder is not null || text.Length == 0 || text[0] is not ('2' or '5'))
        {
            return false;
        }
        var splice = SocketEventSplice.Parse(text, _server.DecodeLimits);
        if (!TryGetSocket(splice.Namespace, out var socket) || !socket.Namespace.TryGetRawHandler(splice.EventName, out var handler))
        {
            return false;
        }
        if (splice.Attachments == 0)
        {
            InvokeRaw(handler, new RawEvent(socket, text, splice, []));
        }
        else
        {
            _pendingRaw = new PendingRawEvent(socket, text, splice, handler, new List<ReadOnlyMemory<byte>>(splice.Attachments));
        }
        return true;
    }

    private void CollectAttachment(PendingRawEvent raw, ReadOnlyMemory<byte> attachment)
    {
        raw.Attachments.Add(attachment);
        if (raw.Attachments.Count == raw.Splice.Attachments)
        {
            _pendingRaw = null;
            InvokeRaw(raw.Handler, new RawEvent(raw.Socket, raw.Text, raw.Splice, raw.Attachments));
        }
    }

    private void InvokeRaw(Action<RawEvent> handler, RawEvent e)
    {
        ThreadCounts.Current.EventsReceived++;
        if (_verdict != InboundRateLimiter.Verdict.Allowed)
        {
            Refuse(e.Socket, e.Packet.EventName, e.Packet.AckId, e.Packet.Target);
            return;
        }
        try
        {
            handler(e);
        }
        catch (ProtocolException)
        {
            // A handler that parsed the event found it malformed: that is the client's fault.
            throw;
        }
        catch (Exception error)
        {
            _server.Log.HandlerFailed(error, e.Packet.EventName, e.Socket.Id);
        }
    }

    private void Dispatch(SocketPacket packet)
    {
        var joined = TryGetSocket(packet.Namespace, out var socket);
        if (Version == SocketIoVersion.V5 && (packet.Type == SocketPacketType.ConnectError || joined == (packet.Type == SocketPacketType.Connect)))
        {
            // As the reference (socket.io 4): a packet for a namespace not joined, a second
            // CONNECT, or a CONNECT_ERROR from the client, is a client out of step: closed.
            _server.Log.PacketOutOfState(Connection.Id, packet.Type.ToString(), packet.Namespace);
            Connection.Close(DisconnectReason.ForcedServerClose);
            return;
        }
        if (packet.Type == SocketPacketType.Connect)
        {
            Connect(packet.Namespace, packet.Data as JObject, packet.NamespaceQuery);
            return;
        }
        if (socket is null)
        {
            // Protocol v4 clients (1.x/2.x) were never closed for it: a 2.x client that left and
            // rejoins "/" sends no CONNECT for it, and the 2.x server ignored such packets.
            _server.Log.PacketForUnjoinedNamespace(Connection.Id, packet.Namespace);
            return;
        }
        if (_verdict != InboundRateLimiter.Verdict.Allowed && packet.Type is SocketPacketType.Event or SocketPacketType.BinaryEvent)
        {
            var data = (JArray)packet.Data!;
            Refuse(socket, (string)data[0]!, packet.AckId, data.Count > 1 && data[1].Type == JTokenType.String ? (string?)data[1] : null);
            return;
        }
        try
        {
            socket.OnPacket(packet);
        }
        catch (Exception error)
        {
            // A failing handler is the application's bug, not the client's: log it and keep the connection.
            _server.Log.HandlerFailed(error, packet.Type.ToString(), socket.Id);
        }
    }

    /// <summary>
    /// Counts the message against the connection's rate limit; false when the connection has gone
    /// so far past it that it is closed. Other refusals are acted on where the event is dispatched.
    /// </summary>
    private bool TakeRateLimit(EnginePacket message)
    {
        var time = _server.TimeProvider;
        var length = message.IsBinary ? message.Binary.Length : message.Text?.Length ?? 0;
        var verdict = _limits.Take(_server.Options.RateLimit, length, time.GetTimestamp(), time.TimestampFrequency);
        if (verdict == InboundRateLimiter.Verdict.Abusive)
        {
            _server.Log.RateLimitAbused(Connection.Id);
            ServerMetrics.ConnectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", "rate-limited"));
            Connection.Close(DisconnectReason.RateLimited);
            return false;
        }
        if (!message.IsBinary)
        {
            _verdict = verdict;
        }
        return true;
    }

    /// <summary>
    /// An event over the rate limit: its ack answered with an error, or without an ack, handed to
    /// the namespace's <see cref="SocketIoNamespace.OnRateLimited"/> handler (the relay's tells the sender).
    /// </summary>
    private void Refuse(SocketIoSocket socket, string eventName, int? ackId, string? firstArgument)
    {
        var limit = _verdict == InboundRateLimiter.Verdict.RefusedForPackets ? "packets" : "bytes";
        ServerMetrics.RateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));
        _server.Log.EventRateLimited(eventName, socket.Id, limit);
        if (ackId is not null)
        {
            var answered = 0;
            socket.SendAckOnce(ackId, ref answered, [new JObject { ["error"] = "rate-limited" }]);
            return;
        }
        try
        {
            socket.Namespace.RunRateLimitedHandler(socket, eventName, firstArgument);
        }
        catch (Exception error)
        {
            _server.Log.HandlerFailed(error, "rate limited", socket.Id);
        }
    }

    private void Connect(string name, JObject? auth, string? namespaceQuery)
    {
        if (!_server.TryGetNamespace(name, out var nsp))
        {
            _server.Log.ConnectRefused(Connection.Id, name, "Invalid namespace");
            SendConnectError(name, new JObject { ["message"] = "Invalid namespace" });
            return;
        }
        if (TryGetSocket(name, out _) || TryRecover(nsp, auth, namespaceQuery))
        {
            return;
        }
        ConnectNew(nsp, auth, namespaceQuery);
    }

    /// <summary>Joins <paramref name="nsp"/> under a new socket.</summary>
    private void ConnectNew(SocketIoNamespace nsp, JObject? auth, string? namespaceQuery)
    {
        var name = nsp.Name;
        var socket = new SocketIoSocket(SocketIdFor(name), nsp, this, auth, namespaceQuery);
        if (nsp.Admit(socket) is { } rejection)
        {
            Refuse(name, rejection);
            return;
        }
        // Only a joined namespace stops the connect timeout: a session whose connects are all
        // refused (or fail) must not outlive it, as with the reference.
        StopConnectTimer();
        UpdateSockets(static (sockets, added) => [.. sockets, added], socket);
        socket.MarkConnected();
        socket.Send(new SocketPacket
        {
            Type = SocketPacketType.Connect,
            Namespace = name,
            Data = Version == SocketIoVersion.V5 ? socket.ConnectAnswer() : null,
        });
        _server.Log.SocketConnected(socket.Id, name, Connection.Handshake.RemoteAddress, Connection.Id, (int)Version, Connection.Transport);
        try
        {
            nsp.RunConnectionHandler(socket);
        }
        catch (Exception error)
        {
            _server.Log.HandlerFailed(error, "connection", socket.Id);
        }
    }

    /// <summary>
    /// Protocol v4 clients compute their socket id themselves from the Engine.IO id, so the
    /// server must use the same one; v5 clients get a fresh id per namespace, as the reference gives.
    /// </summary>
    private string SocketIdFor(string name) => Version == SocketIoVersion.V4
        ? name == "/" ? Connection.Id : $"{name}#{Connection.Id}"
        : NewId();

    private void Refuse(string name, ConnectRejection rejection)
    {
        _server.Log.ConnectRefused(Connection.Id, name, rejection.Message);
        // Protocol v4 clients expect the error as a bare value, v5 clients as {message, data}.
        SendConnectError(name, Version == SocketIoVersion.V4
            ? rejection.Data ?? rejection.Message
            : new JObject { ["message"] = rejection.Message, ["data"] = rejection.Data });
    }

    private void SendConnectError(string name, JToken data) => Connection.Send(new OutboundPacket(new SocketPacket
    {
        Type = SocketPacketType.ConnectError,
        Namespace = name,
        Data = data,
    }).For(Version));

    private void OnConnectTimeout(TimeSpan timeout)
    {
        if (Volatile.Read(ref _sockets).Length == 0)
        {
            _server.Log.ConnectTimedOut(Connection.Id, timeout);
            Connection.Close(DisconnectReason.ForcedClose);
        }
    }

    private bool TryGetSocket(string name, [MaybeNullWhen(false)] out SocketIoSocket socket)
    {
        foreach (var candidate in Volatile.Read(ref _sockets))
        {
            if (candidate.Namespace.Name == name)
            {
                socket = candidate;
                return true;
            }
        }
        socket = null;
        return false;
    }

    private void UpdateSockets(Func<SocketIoSocket[], SocketIoSocket, SocketIoSocket[]> change, SocketIoSocket socket)
    {
        var current = Volatile.Read(ref _sockets);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _sockets, change(current, socket), current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    private sealed record PendingRawEvent(SocketIoSocket Socket, string Text, SocketEventSplice Splice, Action<RawEvent> Handler, List<ReadOnlyMemory<byte>> Attachments);

    /// <summary>20 URL-safe characters from 15 random bytes, the shape of the reference's ids.</summary>
    internal static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
}
