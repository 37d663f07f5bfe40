using Microsoft.Extensions.Logging;

namespace Signaling.Server.Signaling;

/// <summary>The relay's log messages. Payloads (SDP, candidates) appear only at Debug.</summary>
internal static partial class SignalingLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "{SocketId} is online as {Name} ({Count} online)")]
    public static partial void Online(this ILogger logger, string socketId, string name, int count);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "{SocketId} went offline ({Count} online)")]
    public static partial void Offline(this ILogger logger, string socketId, int count);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "{Event} from {From} to unknown target {To}")]
    public static partial void UnknownTarget(this ILogger logger, string @event, string from, string to);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Relayed {Event} from {From} to {To}: {Payload}")]
    public static partial void Relayed(this ILogger logger, string @event, string from, string to, string payload);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Could not gather the cluster's presence list, retrying: {Error}")]
    public static partial void PresenceFetchFailed(this ILogger logger, string error);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Could not check whether {To} is on another node: {Error}")]
    public static partial void TargetCheckFailed(this ILogger logger, string to, string error);
}
