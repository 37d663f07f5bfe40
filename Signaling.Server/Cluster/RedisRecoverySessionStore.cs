using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.EngineIo;
using Signaling.Server.SocketIo;
using Signaling.Server.SocketIo.Recovery;
using StackExchange.Redis;

namespace Signaling.Server.Cluster;

/// <summary>
/// Away sessions of one namespace kept in Redis as well as in this node, so that a client may come
/// back to any node of the cluster. Per away socket: <c>prefix-session#nsp#pid</c> (its id, rooms
/// and data) and <c>prefix-missed#nsp#pid</c> (a list of its kept events, capped at
/// <see cref="RecoveryOptions.MaxBufferedPackets"/>), both expiring with the recovery window. A
/// claim is one script (the session taken out with its events, a <c>prefix-claimed#nsp#pid</c>
/// mark left): one node only wins. The winner then says on <c>prefix-recovery#nsp#</c> whether it
/// resumed the socket (the node that kept it drops its copy without ending it) or not (it ends it).
/// </summary>
internal sealed class RedisRecoverySessionStore : IRecoverySessionStore
{
    // The session and its events are written together when the socket goes away.
    private const string KeepScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('DEL', KEYS[2], KEYS[3])
        if #ARGV > 2 then
          redis.call('RPUSH', KEYS[2], unpack(ARGV, 3))
          redis.call('PEXPIRE', KEYS[2], ARGV[2])
        end
        return 1
        """;

    // 1: kept; 2: the session was claimed (the event must reach its new node another way); 0: it is gone.
    private const string AppendScript = """
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl > 0 then
          redis.call('RPUSH', KEYS[2], ARGV[1])
          redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
          redis.call('PEXPIRE', KEYS[2], ttl)
          return 1
        end
        if redis.call('EXISTS', KEYS[3]) == 1 then return 2 end
        return 0
        """;

    private const string ClaimScript = """
        local session = redis.call('GET', KEYS[1])
        if not session then return false end
        redis.call('DEL', KEYS[1])
        redis.call('SET', KEYS[3], '1', 'PX', ARGV[1])
        local missed = redis.call('LRANGE', KEYS[2], 0, -1)
        redis.call('DEL', KEYS[2])
        return {session, missed}
        """;

    // Long enough for every event the old node heard before the claim to be answered "claimed".
    private static readonly TimeSpan ClaimedMark = TimeSpan.FromSeconds(30);

    private readonly InMemoryRecoverySessionStore _local = new();
    private readonly SocketIoNamespace _namespace;
    private readonly RedisConnection _redis;
    private readonly RecoveryOptions _recovery;
    private readonly ILogger _logger;
    private readonly string _prefix;
    private readonly RedisChannel _channel;
    // Set once the connection first exists: writes start from under a session's lock, which must not wait for it.
    private IDatabase? _database;

    public RedisRecoverySessionStore(SocketIoNamespace nsp, RedisConnection redis, RedisOptions options, RecoveryOptions recovery, ILogger logger)
    {
        _namespace = nsp;
        _redis = redis;
        _recovery = recovery;
        _logger = logger;
        _prefix = options.ChannelPrefix;
        _channel = RedisChannel.Literal($"{options.ChannelPrefix}-recovery#{nsp.Name}#");
        // Lives as long as the node's connection: the store is never replaced.
        _ = redis.SubscribeAsync(_channel, OnMessage);
        _ = OpenAsync();
    }

    /// <summary>
    /// A random epoch in the high bits: each node counts from its own, so offsets are unique across
    /// the cluster (and ordered per node) without a Redis round trip per event.
    /// </summary>
    public long FirstOffset { get; } = (long)RandomNumberGenerator.GetInt32(1, 1 << 20) << 42;

    public bool IsShared => true;

    public void Keep(SocketRecovery session)
    {
        _local.Keep(session);
        var socket = session.Socket;
        var description = new JObject
        {
            ["sid"] = socket.Id,
            ["rooms"] = new JArray(socket.Rooms.Where(room => room != socket.Id)),
            ["data"] = socket.Data?.DeepClone() ?? JValue.CreateNull(),
            ["reason"] = session.AwayReason,
        };
        var args = new List<RedisValue> { description.ToString(Newtonsoft.Json.Formatting.None), (long)_recovery.MaxDisconnectionDuration.TotalMilliseconds };
        args.AddRange(session.Snapshot().Select(Entry));
        Run("keep", KeepScript, Keys(session.Pid), [.. args]);
    }

    public void KeptWhileAway(SocketRecovery session, long offset, IReadOnlyList<EnginePacket> frames)
    {
        var missed = new KeptEvent(offset, frames);
        if (Run("keep an event", AppendScript, Keys(session.Pid), [Entry(missed), _recovery.MaxBufferedPackets]) is { } kept)
        {
            _ = PassOnIfClaimedAsync(kept, session, missed);
        }
    }

    public bool TryClaim(string pid, [MaybeNullWhen(false)] out SocketRecovery session)
    {
        if (!_local.TryClaim(pid, out session))
        {
            return false;
        }
        Forget(pid);
        return true;
    }

    public bool TryForget(SocketRecovery session)
    {
        if (!_local.TryForget(session))
        {
            return false;
        }
        Forget(session.Pid);
        return true;
    }

    public IReadOnlyList<SocketRecovery> TakeAll()
    {
        var taken = _local.TakeAll();
        foreach (var session in taken)
        {
            Forget(session.Pid);
        }
        return taken;
    }

    public async Task<ClaimedSession?> ClaimElsewhereAsync(string pid)
    {
        if (NamespaceRecovery.SocketIdOf(pid) is not { } socketId)
        {
            return null;
        }
        try
        {
            var database = (await _redis.Ready.ConfigureAwait(false)).GetDatabase();
            var answer = await database.ScriptEvaluateAsync(ClaimScript, Keys(pid), [(long)ClaimedMark.TotalMilliseconds]).ConfigureAwait(false);
            if (answer.IsNull)
            {
                return null;
            }
            var parts = (RedisResult[])answer!;
            var session = JObject.Parse((string)parts[0]!);
            var missed = ((RedisResult[])parts[1]!).Select(entry => ReadEntry((string)entry!)).ToList();
            return new ClaimedSession(
                pid,
                socketId,
                [.. (session["rooms"] as JArray ?? []).Select(room => room.ToString())],
                session["data"] is { Type: not JTokenType.Null } data ? data : null,
                (string?)session["reason"] ?? DisconnectReason.TransportClose,
                missed);
        }
        catch (Exception error) when (error is RedisException or TimeoutException or ObjectDisposedException or Newtonsoft.Json.JsonException or FormatException or InvalidCastException)
        {
            // Whatever went wrong, the client starts afresh, as the reference's clients do when recovery fails.
            _logger.RecoveryStoreFailed("claim", error.Message);
            return null;
        }
    }

    public void Claimed(ClaimedSession session, bool resumed) =>
        _redis.Publish(_channel, Encoding.UTF8.GetBytes(new JObject { ["type"] = resumed ? "moved" : "ended", ["pid"] = session.Pid }.ToString(Formatting.None)));

    /// <summary>Another node claimed a session: the node that kept it lets go of its socket.</summary>
    private void OnMessage(ChannelMessage message)
    {
        try
        {
            var json = JObject.Parse(Encoding.UTF8.GetString((byte[])message.Message!));
            if (json.Value<string>("pid") is not { } pid || !_local.TryClaim(pid, out var session))
            {
                return;
            }
            if (json.Value<string>("type") == "moved")
            {
                session.Socket.OnMoved();
            }
            else
            {
                session.Socket.OnClose(session.AwayReason);
            }
        }
        catch (Exception error) when (error is Protocol.ProtocolException or Newtonsoft.Json.JsonException or InvalidCastException)
        {
            _logger.MalformedMessage(message.Channel.ToString(), error.Message);
        }
    }

    /// <summary>
    /// An event this node heard for a session just claimed elsewhere: published again to the socket's
    /// room with its offset, for the new node (which drops it if it heard it itself).
    /// </summary>
    private async Task PassOnIfClaimedAsync(Task<RedisResult> kept, SocketRecovery session, KeptEvent missed)
    {
        try
        {
            if ((int)await kept.ConfigureAwait(false) != 2)
            {
                return;
            }
        }
        catch (Exception error) when (error is RedisException or TimeoutException or ObjectDisposedException)
        {
            _logger.RecoveryStoreFailed("keep an event", error.Message);
            return;
        }
        if (ClusterPackets.Decode(_namespace, missed) is { } packet)
        {
            _namespace.Adapter.Broadcast(packet, BroadcastOptions.Socket(session.Socket.Id));
        }
    }

    private async Task OpenAsync()
    {
        try
        {
            Volatile.Write(ref _database, (await _redis.Ready.ConfigureAwait(false)).GetDatabase());
        }
        catch (Exception error) when (error is RedisException or ArgumentException)
        {
            // A configuration that can never connect: the connection logged it; sessions stay on this node.
        }
    }

    /// <summary>Starts a script without waiting (commands go out in the order started); null when Redis cannot take it.</summary>
    private Task<RedisResult>? Run(string operation, string script, RedisKey[] keys, RedisValue[] args)
    {
        if (Volatile.Read(ref _database) is not { } database)
        {
            _logger.RecoveryStoreFailed(operation, "not connected yet");
            return null;
        }
        try
        {
            var sent = database.ScriptEvaluateAsync(script, keys, args);
            _ = ObserveAsync(sent, operation);
            return sent;
        }
        catch (RedisException error)
        {
            _logger.RecoveryStoreFailed(operation, error.Message);
            return null;
        }
    }

    private async Task ObserveAsync(Task sent, string operation)
    {
        try
        {
            await sent.ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException or ObjectDisposedException)
        {
            _logger.RecoveryStoreFailed(operation, error.Message);
        }
    }

    private void Forget(string pid)
    {
        var keys = Keys(pid);
        Run("forget", "return redis.call('DEL', KEYS[1], KEYS[2])", [keys[0], keys[1]], []);
    }

    private RedisKey[] Keys(string pid) =>
        [$"{_prefix}-session#{_namespace.Name}#{pid}", $"{_prefix}-missed#{_namespace.Name}#{pid}", $"{_prefix}-claimed#{_namespace.Name}#{pid}"];

    /// <summary>An event as kept in Redis: <c>[offset, text, base64 attachment…]</c>.</summary>
    private static RedisValue Entry(KeptEvent kept)
    {
        var entry = new JArray(kept.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var frame in kept.Frames)
        {
            entry.Add(frame.IsBinary ? Convert.ToBase64String(frame.Binary.Span) : frame.Text);
        }
        return entry.ToString(Newtonsoft.Json.Formatting.None);
    }

    private static KeptEvent ReadEntry(string text)
    {
        var entry = JArray.Parse(text);
        var frames = new EnginePacket[entry.Count - 1];
        for (var i = 1; i < entry.Count; i++)
        {
            frames[i - 1] = i == 1 ? EnginePacket.Message((string)entry[i]!) : EnginePacket.BinaryMessage(Convert.FromBase64String((string)entry[i]!));
        }
        return new KeptEvent(long.Parse((string)entry[0]!, System.Globalization.CultureInfo.InvariantCulture), frames);
    }
}
