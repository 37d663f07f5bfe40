using Newtonsoft.Json.Linq;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// The <c>opts</c> of a cluster message: which sockets an operation targets (in any of <see cref="Rooms"/>, or all
/// when empty; none in <see cref="Except"/>) and the BroadcastOperator's flags, passed through as Node sent them
/// (<c>volatile</c>, <c>compress</c>, <c>timeout</c> in ms, <c>expectSingleResponse</c>...).
/// </summary>
internal sealed class BroadcastOptions
{
    // Most broadcasts have no flags: they share one empty object, which nothing writes to.
    private static readonly JObject NoFlags = [];

    public static BroadcastOptions All { get; } = new([], []);

    public BroadcastOptions(IReadOnlyList<string> rooms, IReadOnlyList<string> except, JObject? flags = null, string? offset = null)
    {
        Rooms = rooms;
        Except = except;
        Flags = flags ?? NoFlags;
        Offset = offset;
    }

    public IReadOnlyList<string> Rooms { get; }

    public IReadOnlyList<string> Except { get; }

    /// <summary>The flags object in its wire order; <c>{}</c> when none (read-only: it may be shared).</summary>
    public JObject Flags { get; }

    /// <summary>
    /// Ours, not Node's: the connection state recovery offset of a broadcast event (<c>opts.offset</c>, a
    /// decimal string), so every node gives the event the same one. Node nodes ignore the key.
    /// </summary>
    public string? Offset { get; }

    /// <summary>These options with <paramref name="offset"/>.</summary>
    public BroadcastOptions WithOffset(string offset) => new(Rooms, Except, Flags, offset);

    public bool IsVolatile => Flags["volatile"] is JValue { Value: true };

    /// <summary>The <c>compress</c> flag, null when not set (then the default, true, applies).</summary>
    public bool? Compress => Flags["compress"] is JValue { Value: bool compress } ? compress : null;

    /// <summary>The ack timeout of a broadcast with acks, in ms (socket.io's <c>timeout(ms)</c>).</summary>
    public long? TimeoutMs => Flags["timeout"] is JValue { Type: JTokenType.Integer, Value: long ms } ? ms : null;

    /// <summary>
    /// The opts as Node writes them: <c>{rooms, except, flags}</c>; without flags for the classic adapter's
    /// join/leave/disconnect/fetch requests, which send none.
    /// </summary>
    internal JObject ToJson(bool withFlags)
    {
        var opts = new JObject { ["rooms"] = new JArray(Rooms), ["except"] = new JArray(Except) };
        if (withFlags)
        {
            opts["flags"] = Flags.DeepClone();
        }
        if (Offset is not null)
        {
            opts["offset"] = Offset;
        }

        return opts;
    }

    /// <summary>Reads opts leniently, as Node does: missing rooms, except or flags mean none.</summary>
    internal static BroadcastOptions FromJson(JToken? token)
    {
        JObject opts = ClusterPayload.RequireObject(token, "opts");
        return new BroadcastOptions(
            ClusterPayload.RoomNames(opts["rooms"], "opts.rooms"),
            ClusterPayload.RoomNames(opts["except"], "opts.except"),
            opts["flags"] as JObject,
            opts["offset"] is JValue { Type: JTokenType.String, Value: string offset } ? offset : null);
    }
}
