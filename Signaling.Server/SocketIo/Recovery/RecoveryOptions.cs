namespace Signaling.Server.SocketIo.Recovery;

/// <summary>
/// Connection state recovery (Socket.IO 4.6), bound from <c>SocketIo:Recovery</c>: a socket whose
/// transport drops may come back within <see cref="MaxDisconnectionDuration"/> as itself (same id,
/// rooms and data) and receive the events it missed. Applies to the namespaces that ask for it
/// (<see cref="SocketIoNamespace.EnableRecovery"/>; the signaling relay's <c>/</c>).
/// </summary>
public sealed class RecoveryOptions
{
    /// <summary>Off: no namespace recovers, and clients get neither a <c>pid</c> nor offsets, as before 4.6.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a disconnected socket is kept for its client to come back (the reference's default, 2 min).</summary>
    public TimeSpan MaxDisconnectionDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A recovered socket skips the namespace's connect middlewares, as in the reference.</summary>
    public bool SkipMiddlewares { get; set; } = true;

    /// <summary>
    /// Events kept per socket for a replay: the last ones sent (which a dying transport may have
    /// lost) and those sent while it is away. Past it the oldest already-sent one is dropped; an
    /// away socket that would have to drop one it never got is ended instead, as if its window ran out.
    /// </summary>
    public int MaxBufferedPackets { get; set; } = 1000;

    /// <summary>Memory those events may hold per socket (text at two bytes a character, plus binary attachments), with the same rule.</summary>
    public long MaxBufferedBytes { get; set; } = 1024 * 1024;
}
