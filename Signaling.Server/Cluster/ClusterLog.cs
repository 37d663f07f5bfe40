using Microsoft.Extensions.Logging;

namespace Signaling.Server.Cluster;

/// <summary>The cluster's log messages (event ids 300–349).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Cluster on Redis {Endpoints} ({Mode} pub/sub, channel prefix {Prefix})")]
    public static partial void ClusterStarting(this ILogger logger, string endpoints, string mode, string prefix);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Redis connection lost ({FailureType}): cluster traffic stops, local traffic goes on; reconnecting")]
    public static partial void RedisLost(this ILogger logger, Exception? exception, string failureType);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Redis connection is back; {Failed} cluster messages could not be published meanwhile")]
    public static partial void RedisBack(this ILogger logger, long failed);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "Could not publish to {Channel}: {Error}")]
    public static partial void PublishFailed(this ILogger logger, string channel, string error);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Could not subscribe to {Channel}, retrying in {Delay}: {Error}")]
    public static partial void SubscribeFailed(this ILogger logger, string channel, TimeSpan delay, string error);

    [LoggerMessage(EventId = 305, Level = LogLevel.Debug, Message = "Ignored a cluster message on {Channel}: {Error}")]
    public static partial void MalformedMessage(this ILogger logger, string channel, string error);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Handling a cluster message on {Channel} failed")]
    public static partial void HandlingFailed(this ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "A cluster request ({Request}) on {Namespace} timed out: {Received} of {Expected} answers")]
    public static partial void RequestTimedOut(this ILogger logger, string request, string @namespace, int received, int expected);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "Cluster node {Uid} on {Namespace} is gone ({Why})")]
    public static partial void NodeGone(this ILogger logger, string uid, string @namespace, string why);
}
