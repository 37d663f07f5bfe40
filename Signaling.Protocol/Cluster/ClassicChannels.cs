using System.Text;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// The Redis channels of @socket.io/redis-adapter's classic adapter (<c>createAdapter</c>) and of
/// @socket.io/redis-emitter for one namespace: a Node node PSUBSCRIBEs <c>prefix#nsp#*</c> and
/// SUBSCRIBEs <see cref="Request"/>, <see cref="Response"/> and <see cref="SpecificResponse"/> (this last one
/// whatever publishOnSpecificResponseChannel says), all on one connection. Ours hears them all through
/// <see cref="NamespacePattern"/>.
/// </summary>
internal sealed class ClassicChannels
{
    private readonly byte[] _broadcastUtf8;

    /// <param name="prefix">The adapter's <c>key</c>, <c>socket.io</c> by default.</param>
    /// <param name="nsp">The namespace name, <c>/</c> or <c>/chat</c>; it goes into a glob pattern unescaped on Node
    /// nodes too, so names with <c>* ? [ \</c> are refused.</param>
    public ClassicChannels(string prefix, string nsp)
    {
        if (nsp.AsSpan().IndexOfAny("*?[\\") >= 0)
        {
            throw new ArgumentException($"Namespace \"{nsp}\" holds a glob character; Node nodes would misroute it", nameof(nsp));
        }

        Broadcast = $"{prefix}#{nsp}#";
        _broadcastUtf8 = Encoding.UTF8.GetBytes(Broadcast);
        NamespacePattern = $"{EscapeGlob(prefix)}*#{nsp}#*";
        Request = $"{prefix}-request#{nsp}#";
        Response = $"{prefix}-response#{nsp}#";
        Heartbeat = $"{prefix}-heartbeat#{nsp}#";
    }

    /// <summary><c>socket.io#/#</c>: broadcasts to all, or to two rooms or more.</summary>
    public string Broadcast { get; }

    /// <summary>
    /// <c>socket.io*#/#*</c>: every channel of the namespace (broadcasts, room channels, requests, responses, our
    /// nodes' <c>socket.io-heartbeat#/#</c>), so that one subscription, one queue, hands them over in their order of
    /// arrival. It matches others too (<c>socket.io#/chat#/#</c>, a room "/" of /chat): the exact names sort them.
    /// </summary>
    public string NamespacePattern { get; }

    /// <summary><c>socket.io-request#/#</c>: every request; its subscriber count is the server count (PUBSUB NUMSUB).</summary>
    public string Request { get; }

    /// <summary><c>socket.io-response#/#</c>: responses of nodes without publishOnSpecificResponseChannel, and every serverSideEmit ack.</summary>
    public string Response { get; }

    /// <summary><c>socket.io-heartbeat#/#</c>: our nodes' heartbeats, which Node nodes (the classic wire has none) never hear.</summary>
    public string Heartbeat { get; }

    /// <summary><c>socket.io-response#/#&lt;uid&gt;#</c>: responses meant for the node <paramref name="uid"/>.</summary>
    public string SpecificResponse(string uid) => $"{Response}{uid}#";

    /// <summary><c>socket.io#/#room#</c>: a broadcast to exactly one room.</summary>
    public string Room(string room) => $"{Broadcast}{room}#";

    /// <summary>
    /// Where a broadcast to <paramref name="options"/> goes, in UTF-8: the room channel for exactly one room,
    /// else the base one. Bytes, since every relay to another node publishes on one.
    /// </summary>
    public byte[] BroadcastChannel(BroadcastOptions options)
    {
        if (options.Rooms.Count != 1)
        {
            return _broadcastUtf8;
        }

        string room = options.Rooms[0];
        var channel = new byte[_broadcastUtf8.Length + Encoding.UTF8.GetByteCount(room) + 1];
        _broadcastUtf8.CopyTo(channel, 0);
        Encoding.UTF8.GetBytes(room, channel.AsSpan(_broadcastUtf8.Length));
        channel[^1] = (byte)'#';
        return channel;
    }

    /// <summary>
    /// The room a received broadcast channel (its UTF-8 bytes) names ("" for the base channel), null when the
    /// channel is not this namespace's. A node drops, without decoding, a room message for a room it does not have.
    /// </summary>
    public string? RoomOf(ReadOnlySpan<byte> channel) =>
        channel.StartsWith(_broadcastUtf8) && channel.Length > _broadcastUtf8.Length
            ? Encoding.UTF8.GetString(channel[_broadcastUtf8.Length..^1])
            : channel.SequenceEqual(_broadcastUtf8) ? "" : null;

    /// <summary>A prefix as a literal in a Redis glob (the namespace name holds no glob character).</summary>
    private static string EscapeGlob(string text) =>
        text.AsSpan().IndexOfAny("*?[]\\") < 0 ? text : string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? $"\\{c}" : c.ToString()));
}
