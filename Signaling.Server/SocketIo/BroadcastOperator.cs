using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo;

namespace Signaling.Server.SocketIo;

/// <summary>
/// An operation on a chosen set of a namespace's sockets, on every node of the cluster:
/// <c>io.to(room).except(other).emit(...)</c>, <c>.local</c>, <c>.volatile</c>,
/// <c>.timeout(t).emitWithAck(...)</c>, <c>.fetchSockets()</c>, <c>.socketsJoin(...)</c>…
/// </summary>
public sealed class BroadcastOperator
{
    private readonly SocketIoNamespace _namespace;
    private readonly IReadOnlySet<string> _rooms;
    private readonly IReadOnlySet<string> _except;
    private readonly BroadcastFlags _flags;

    internal BroadcastOperator(SocketIoNamespace nsp)
        : this(nsp, RoomSets.None, RoomSets.None, default)
    {
    }

    private BroadcastOperator(SocketIoNamespace nsp, IReadOnlySet<string> rooms, IReadOnlySet<string> except, BroadcastFlags flags)
    {
        _namespace = nsp;
        _rooms = rooms;
        _except = except;
        _flags = flags;
    }

    /// <summary>Narrows the operation to sockets in <paramref name="room"/> (several calls: in any of them).</summary>
    public BroadcastOperator To(string room) => new(_namespace, RoomSets.With(_rooms, room), _except, _flags);

    /// <summary>The same as <see cref="To"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Leaves out the sockets in <paramref name="room"/> (or the socket of that id).</summary>
    public BroadcastOperator Except(string room) => new(_namespace, _rooms, RoomSets.With(_except, room), _flags);

    /// <summary>Only this node's sockets: nothing is published to the other nodes.</summary>
    public BroadcastOperator Local => new(_namespace, _rooms, _except, _flags with { Local = true });

    /// <summary>The emit may be dropped (carried to Node nodes, which drop it for clients not ready to receive).</summary>
    public BroadcastOperator Volatile => new(_namespace, _rooms, _except, _flags with { Volatile = true });

    /// <summary>Whether the WebSocket frames may be compressed.</summary>
    public BroadcastOperator Compress(bool compress) => new(_namespace, _rooms, _except, _flags with { Compress = compress });

    /// <summary>How long <see cref="EmitWithAckAsync"/> waits for every recipient's acknowledgement.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => new(_namespace, _rooms, _except, _flags with { Timeout = timeout });

    private BroadcastOptions Options => new(_rooms, _except, _flags);

    /// <summary>Encodes once and hands the same frames to every recipient of this node; publishes once for the others.</summary>
    public void Emit(string eventName, params object?[] args) => _namespace.Adapter.Broadcast(
        new OutboundPacket(new SocketPacket
        {
            Type = SocketPacketType.Event,
            Namespace = _namespace.Name,
            Data = JsonArguments.From(eventName, args),
        })
        { Offset = _namespace.Recovery?.NextOffset() },
        Options);

    /// <summary>As <see cref="Emit"/>, for an EVENT already written as protocol v5 text with no attachments (see <see cref="RawEvent.ForwardTo(BroadcastOperator)"/>).</summary>
    internal void EmitEventText(string eventText) =>
        _namespace.Adapter.Broadcast(new OutboundPacket(eventText) { Offset = _namespace.Recovery?.NextOffset() }, Options);

    /// <summary>
    /// Emits and returns every recipient's acknowledgement (its first argument), on every node;
    /// needs <see cref="Timeout"/>. When some are missing at the timeout, fails with
    /// <see cref="BroadcastAckTimeoutException"/> holding those that came.
    /// </summary>
    public async Task<IReadOnlyList<JToken>> EmitWithAckAsync(string eventName, params object?[] args)
    {
        var timeout = _flags.Timeout ?? throw new InvalidOperationException("EmitWithAckAsync needs Timeout(...) first.");
        var tally = new AckTally();
        _namespace.Adapter.BroadcastWithAck(JsonArguments.From(eventName, args), Options, tally.AddClientCount, tally.AddAck);
        var servers = _flags.Local ? 1 : await _namespace.Adapter.ServerCountAsync().ConfigureAwait(false);
        tally.ExpectServers(servers);
        try
        {
            await tally.Complete.WaitAsync(timeout, _namespace.Server.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new BroadcastAckTimeoutException("operation has timed out", tally.Responses());
        }
        return tally.Responses();
    }

    /// <summary>The matching sockets: this node's (with <see cref="RemoteSocket.Local"/> set), then the other nodes'.</summary>
    public Task<IReadOnlyList<RemoteSocket>> FetchSocketsAsync(CancellationToken cancellationToken = default) =>
        _namespace.Adapter.FetchSocketsAsync(Options, cancellationToken);

    /// <summary>Makes the matching sockets of every node join the rooms; completes once the other nodes were told.</summary>
    public Task SocketsJoinAsync(params string[] rooms) => _namespace.Adapter.AddSocketsAsync(Options, rooms);

    /// <summary>Makes the matching sockets, on every node, leave <paramref name="rooms"/>.</summary>
    public Task SocketsLeaveAsync(params string[] rooms) => _namespace.Adapter.DelSocketsAsync(Options, rooms);

    /// <summary>Disconnects the matching sockets of every node; with <paramref name="close"/>, their whole connections.</summary>
    public Task DisconnectSocketsAsync(bool close = false) => _namespace.Adapter.DisconnectSocketsAsync(Options, close);

    /// <summary>
    /// The reference's completeness rule: every node reported its client count, and as many acks
    /// as those counts add up to have come. Counts and acks arrive on any thread.
    /// </summary>
    private sealed class AckTally
    {
        private readonly Lock _gate = new();
        private readonly List<JToken> _responses = [];
        private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _expectedServers = -1;
        private int _servers;
        private int _clients;

        public Task Complete => _complete.Task;

        public void AddClientCount(int count)
        {
            lock (_gate)
            {
                _servers++;
                _clients += count;
                Check();
            }
        }

        public void AddAck(JToken ack)
        {
            lock (_gate)
            {
                _responses.Add(ack);
                Check();
            }
        }

        public void ExpectServers(int servers)
        {
            lock (_gate)
            {
                _expectedServers = servers;
                Check();
            }
        }

        public IReadOnlyList<JToken> Responses()
        {
            lock (_gate)
            {
                return [.. _responses];
            }
        }

        private void Check()
        {
            if (_expectedServers >= 0 && _servers >= _expectedServers && _responses.Count >= _clients)
            {
                _complete.TrySetResult();
            }
        }
    }
}
