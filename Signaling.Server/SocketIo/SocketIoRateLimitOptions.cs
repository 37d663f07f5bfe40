namespace Signaling.Server.SocketIo;

/// <summary>
/// Per-connection limits on what a client sends, bound from <c>SocketIo:RateLimit</c>: two token
/// buckets, one of packets and one of bytes. A bucket holds up to its burst and refills at its
/// rate; each packet takes one packet token and its length in byte tokens. An event that finds
/// either bucket empty is refused (its ack answered <c>{"error":"rate-limited"}</c>); refused
/// packets still take tokens, and a connection whose debt reaches a whole burst is closed with
/// reason <c>rate limited</c>. A rate of 0 turns that bucket off.
/// </summary>
public sealed class SocketIoRateLimitOptions
{
    /// <summary>Packets a second a connection may keep sending (0: no packet limit).</summary>
    public double PacketsPerSecond { get; set; } = 100;

    /// <summary>Packets a connection may send back to back (a call's burst of candidates is a few hundred).</summary>
    public double PacketBurst { get; set; } = 1000;

    /// <summary>Bytes a second a connection may keep sending (0: no byte limit).</summary>
    public double BytesPerSecond { get; set; } = 1024 * 1024;

    /// <summary>Bytes a connection may send back to back; should exceed <c>EngineIo:MaxHttpBufferSize</c>.</summary>
    public double ByteBurst { get; set; } = 4 * 1024 * 1024;
}
