using Microsoft.Extensions.Logging;

namespace Signaling.Server.EngineIo;

/// <summary>Source-generated log messages of the Engine.IO layer (structured: sid, transport, version).</summary>
internal static partial class EngineIoLog
{
    [LoggerMessage(1, LogLevel.Debug, "Engine.IO session {Sid} opened over {Transport} (EIO={Version})")]
    public static partial void SessionOpened(ILogger logger, string sid, string transport, int version);

    [LoggerMessage(2, LogLevel.Debug, "Engine.IO session {Sid} closed over {Transport} (EIO={Version}): {Reason}")]
    public static partial void SessionClosed(ILogger logger, string sid, string transport, int version, string reason);

    [LoggerMessage(3, LogLevel.Debug, "Engine.IO session {Sid} upgraded to websocket (EIO={Version})")]
    public static partial void SessionUpgraded(ILogger logger, string sid, int version);

    [LoggerMessage(4, LogLevel.Debug, "Engine.IO request rejected with code {Code} ({Message}): {Method} {Path}{Query}")]
    public static partial void RequestRejected(ILogger logger, int code, string message, string method, string path, string query);

    [LoggerMessage(5, LogLevel.Information, "Engine.IO session {Sid} over {Transport} (EIO={Version}) sent malformed input: {Error}")]
    public static partial void ParseError(ILogger logger, string sid, string transport, int version, string error);

    [LoggerMessage(6, LogLevel.Error, "Engine.IO handler failed in {Callback} for session {Sid}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string callback, string sid);

    [LoggerMessage(7, LogLevel.Debug, "Engine.IO session {Sid} transport {Transport} failed")]
    public static partial void TransportFailed(ILogger logger, Exception exception, string sid, string transport);

    [LoggerMessage(8, LogLevel.Debug, "Engine.IO session {Sid} upgrade attempt abandoned: {Why}")]
    public static partial void UpgradeAbandoned(ILogger logger, string sid, string why);

    [LoggerMessage(10, LogLevel.Error, "Engine.IO timer callback failed")]
    public static partial void TimerCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "Engine.IO session {Sid} polling body of {Length} bytes exceeds {Limit}")]
    public static partial void BodyTooLarge(ILogger logger, string sid, long length, int limit);

    [LoggerMessage(11, LogLevel.Debug, "Connection {ConnectionId} closed: its first request head did not arrive in time")]
    public static partial void RequestHeadTimedOut(ILogger logger, string connectionId);

    [LoggerMessage(12, LogLevel.Warning, "Engine.IO session {Sid} over {Transport} is closed as a slow consumer: {Buffered} bytes wait for it, more than EngineIo:MaxBufferedBytes ({Limit})")]
    public static partial void SlowConsumer(ILogger logger, string sid, string transport, long buffered, long limit);
}
