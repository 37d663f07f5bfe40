using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Signaling;

/// <summary>
/// The cluster convention for presence (docs/SIGNALING.md, "Cluster"): a socket that went
/// online carries data <c>{"name": …, "onlineAt": ms since the epoch of its first online}</c>
/// (and <c>"busy": true</c> while it says it is in a call), and the list is those sockets ordered
/// by onlineAt, then id.
/// </summary>
internal static class PresenceData
{
    public const string Name = "name";
    public const string OnlineAt = "onlineAt";
    public const string Busy = "busy";

    private static long _lastOnlineAt;

    /// <summary>Marks the socket online under <paramref name="name"/>, keeping the time of its first online.</summary>
    public static void Mark(SocketIoSocket socket, string name, bool busy, TimeProvider time)
    {
        var onlineAt = socket.Data is JObject { } data && data[OnlineAt] is JValue { Type: JTokenType.Integer } first ? (long)first : NextOnlineAt(time);
        var marked = new JObject { [Name] = name, [OnlineAt] = onlineAt };
        if (busy)
        {
            marked[Busy] = true;
        }
        socket.Data = marked;
    }

    public static bool IsOnline(JToken? data) => data is JObject obj && obj[OnlineAt] is JValue { Type: JTokenType.Integer or JTokenType.Float };

    /// <summary>The list clients get, from sockets of any node: <c>[{"id", "name"[, "busy"]}, …]</c>, oldest first, as <see cref="PresenceList"/> shapes it.</summary>
    public static JArray List(IEnumerable<RemoteSocket> sockets) => new(sockets
        .Where(s => IsOnline(s.Data))
        // A socket moving between nodes may be found on both for a moment.
        .DistinctBy(s => s.Id, StringComparer.Ordinal)
        .OrderBy(s => (double)s.Data![OnlineAt]!)
        .ThenBy(s => s.Id, StringComparer.Ordinal)
        .Select(s => PresenceList.Entry(
            s.Id,
            s.Data![Name] is JValue { Type: JTokenType.String } n ? (string)n! : s.Id,
            s.Data[Busy] is JValue { Type: JTokenType.Boolean } b && (bool)b)));

    /// <summary>Now in ms, but after every earlier online of this node: two onlines in one millisecond keep their order.</summary>
    private static long NextOnlineAt(TimeProvider time)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Volatile.Read(ref _lastOnlineAt);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastOnlineAt, next, last) == last)
            {
                return next;
            }
        }
    }
}
