using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Signaling.Server.EngineIo;

/// <summary>The reference server's error answers: 400 (403 for Forbidden) with <c>{"code":N,"message":"..."}</c>.</summary>
internal static class EngineIoErrors
{
    public const int UnknownTransport = 0;
    public const int UnknownSid = 1;
    public const int BadHandshakeMethod = 2;
    public const int BadRequest = 3;
    public const int Forbidden = 4;
    public const int UnsupportedProtocolVersion = 5;

    private static readonly string[] Messages =
    [
        "Transport unknown",
        "Session ID unknown",
        "Bad handshake method",
        "Bad request",
        "Forbidden",
        "Unsupported protocol version",
    ];

    public static async Task WriteAsync(HttpContext context, EngineIoServer server, int code, string? message = null)
    {
        message ??= Messages[code];
        var request = context.Request;
        EngineIoLog.RequestRejected(server.Logger, code, message, request.Method, request.Path, request.QueryString.Value ?? string.Empty);
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(code, message), EngineIoJsonContext.Default.ErrorBody);
        var response = context.Response;
        response.StatusCode = code == Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client is gone; nobody is left to read the error.
        }
    }

    internal sealed record ErrorBody(int Code, string Message);
}
