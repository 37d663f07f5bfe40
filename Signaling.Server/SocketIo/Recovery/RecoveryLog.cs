using Microsoft.Extensions.Logging;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>Log messages of connection state recovery (event ids 140–149).</summary>
internal static partial class RecoveryLog
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Debug, Message = "Socket {SocketId} lost its transport ({Reason}); kept for {Window} for its client to come back")]
    public static partial void RecoverySuspended(this ILogger logger, string socketId, string reason, TimeSpan window);

    [LoggerMessage(EventId = 141, Level = LogLevel.Debug, Message = "Socket {SocketId} recovered on connection {ConnectionId}")]
    public static partial void RecoveryResumed(this ILogger logger, string socketId, string connectionId);

    [LoggerMessage(EventId = 142, Level = LogLevel.Debug, Message = "Socket {SocketId} did not come back within {Window} and ends")]
    public static partial void RecoveryExpired(this ILogger logger, string socketId, TimeSpan window);

    [LoggerMessage(EventId = 143, Level = LogLevel.Information, Message = "Socket {SocketId} could not be recovered: {Why}; its client gets a new socket")]
    public static partial void RecoveryRefused(this ILogger logger, string socketId, string why);

    [LoggerMessage(EventId = 144, Level = LogLevel.Information, Message = "Socket {SocketId} was sent more than it may keep while away ({Packets} events, {Bytes} bytes) and ends")]
    public static partial void RecoveryOverflowed(this ILogger logger, string socketId, int packets, long bytes);

    [LoggerMessage(EventId = 145, Level = LogLevel.Debug, Message = "Socket {SocketId} is claimed from a new connection: its connection {ConnectionId} is given up")]
    public static partial void RecoveryTakenOver(this ILogger logger, string socketId, string connectionId);

    [LoggerMessage(EventId = 146, Level = LogLevel.Debug, Message = "Socket {SocketId} was resumed on another node and leaves this one")]
    public static partial void RecoveryMoved(this ILogger logger, string socketId);

    [LoggerMessage(EventId = 147, Level = LogLevel.Debug, Message = "Socket {SocketId} recovered from another node on connection {ConnectionId} ({Missed} events kept there)")]
    public static partial void RecoveryResumedFromElsewhere(this ILogger logger, string socketId, string connectionId, int missed);

    [LoggerMessage(EventId = 148, Level = LogLevel.Warning, Message = "Could not reach the shared recovery store ({Operation}): {Error}")]
    public static partial void RecoveryStoreFailed(this ILogger logger, string operation, string error);
}
