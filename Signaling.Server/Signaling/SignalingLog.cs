using System.Net;
using Microsoft.Extensions.Logging;

namespace Signaling.Server.Signaling;

/// <summary>
/// The relay's log messages: users going online and offline, and each call's request, readiness
/// and end at Information (one line each per call, never its SDP or candidates); every relayed
/// message with its payload only at Verbose (Trace).
/// </summary>
internal static partial class SignalingLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "{SocketId} is online as {Name} from {Address} ({Count} online)")]
    public static partial void Online(this ILogger logger, string socketId, string name, IPAddress? address, int count);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "{SocketId} ({Name}) went offline ({Count} online)")]
    public static partial void Offline(this ILogger logger, string socketId, string name, int count);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "{Event} from {From} to unknown target {To}")]
    public static partial void UnknownTarget(this ILogger logger, string @event, string from, string to);

    [LoggerMessage(EventId = 203, Level = LogLevel.Trace, Message = "Relayed {Event} from {From} to {To}: {Payload}")]
    public static partial void Relayed(this ILogger logger, string @event, string from, string to, string payload);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Call: {From} calls {To}")]
    public static partial void CallRequested(this ILogger logger, string from, string to);

    // Sent by the callee (the call is accepted), then by the caller (its camera is on too).
    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Call: {From} is ready to talk to {To}")]
    public static partial void CallReady(this ILogger logger, string from, string to);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "Call: {From} hung up on {To}")]
    public static partial void HungUp(this ILogger logger, string from, string to);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "Could not gather the cluster's presence list, retrying: {Error}")]
    public static partial void PresenceFetchFailed(this ILogger logger, string error);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Could not check whether {To} is on another node: {Error}")]
    public static partial void TargetCheckFailed(this ILogger logger, string to, string error);
}
