using System.Net;
using Microsoft.Extensions.Logging;

namespace Signaling.Server.SocketIo;

/// <summary>The Socket.IO layer's log messages, source-generated so disabled levels cost nothing.</summary>
internal static partial class SocketIoLog
{
    // Per socket, so Debug: at Information a server holding tens of thousands of clients would log
    // a line for every arrival and departure (users going online and offline stay at Information).
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Socket {SocketId} connected to {Namespace} from {Address} (connection {ConnectionId}, protocol v{Protocol}, {Transport})")]
    public static partial void SocketConnected(this ILogger logger, string socketId, string @namespace, IPAddress? address, string connectionId, int protocol, string transport);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Socket {SocketId} left {Namespace}: {Reason}")]
    public static partial void SocketDisconnected(this ILogger logger, string socketId, string @namespace, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Connection {ConnectionId} refused namespace {Namespace}: {Message}")]
    public static partial void ConnectRefused(this ILogger logger, string connectionId, string @namespace, string message);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Connection {ConnectionId} sent a malformed packet and is closed: {Error}")]
    public static partial void MalformedPacket(this ILogger logger, string connectionId, string error);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Connection {ConnectionId} joined no namespace within {Timeout} and is closed")]
    public static partial void ConnectTimedOut(this ILogger logger, string connectionId, TimeSpan timeout);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Handler for {Event} on socket {SocketId} failed")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string @event, string socketId);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "Connection {ConnectionId} sent a packet for namespace {Namespace} it has not joined; ignored")]
    public static partial void PacketForUnjoinedNamespace(this ILogger logger, string connectionId, string @namespace);
}
