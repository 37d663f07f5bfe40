namespace Signaling.Server.SocketIo;

/// <summary>
/// The two token buckets of <see cref="SocketIoRateLimitOptions"/> for one connection: three
/// numbers kept in the connection, refilled lazily from the time of the last packet (no timer).
/// Not thread-safe: a connection's packets arrive one at a time.
/// </summary>
internal struct InboundRateLimiter
{
    private long _last;
    private double _packets;
    private double _bytes;

    internal enum Verdict
    {
        Allowed,
        RefusedForPackets,
        RefusedForBytes,
        Abusive,
    }

    public InboundRateLimiter(SocketIoRateLimitOptions options, long now)
    {
        _last = now;
        _packets = options.PacketBurst;
        _bytes = options.ByteBurst;
    }

    /// <summary>Takes one packet of <paramref name="length"/> bytes; says whether it may pass, and whether the debt is past bearing.</summary>
    public Verdict Take(SocketIoRateLimitOptions options, int length, long now, long frequency)
    {
        var elapsed = (double)(now - _last) / frequency;
        _last = now;
        var packetsOn = options.PacketsPerSecond > 0;
        var bytesOn = options.BytesPerSecond > 0;
        if (packetsOn)
        {
            _packets = Math.Min(options.PacketBurst, _packets + (elapsed * options.PacketsPerSecond)) - 1;
        }

        if (bytesOn)
        {
            _bytes = Math.Min(options.ByteBurst, _bytes + (elapsed * options.BytesPerSecond)) - length;
        }

        if ((packetsOn && _packets < -options.PacketBurst) || (bytesOn && _bytes < -options.ByteBurst))
        {
            return Verdict.Abusive;
        }

        return packetsOn && _packets < 0 ? Verdict.RefusedForPackets
            : bytesOn && _bytes < 0 ? Verdict.RefusedForBytes
            : Verdict.Allowed;
    }
}
