using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Signaling.Protocol;
using Signaling.Protocol.EngineIo;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.EngineIo;

/// <summary>
/// HTTP long-polling requests of a session: GET waits for packets and writes them as one
/// payload (v4 text, v3 text or XHR2 binary, optionally in JSONP); POST delivers a payload.
/// </summary>
internal static class PollingTransport
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] Ok = "ok"u8.ToArray();

    public static async Task HandleGetAsync(HttpContext context, EngineIoServer server, EngineSession session)
    {
        IReadOnlyList<EnginePacket>? batch;
        int errorCode;
        try
        {
            (batch, errorCode) = await session.PollAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client gave up the poll; the session has been closed for it.
            return;
        }

        if (batch is null)
        {
            await EngineIoErrors.WriteAsync(context, server, errorCode).ConfigureAwait(false);
            return;
        }

        await WritePayloadAsync(context, session, batch).ConfigureAwait(false);
    }

    public static async Task HandlePostAsync(HttpContext context, EngineIoServer server, EngineSession session)
    {
        if (!session.TryBeginPost())
        {
            // Two POSTs at once would break packet order: the reference closes the session.
            session.CloseNow("transport error");
            await EngineIoErrors.WriteAsync(context, server, EngineIoErrors.BadRequest).ConfigureAwait(false);
            return;
        }

        try
        {
            var isBinary = IsOctetStream(context.Request.ContentType);
            if (isBinary && session.Version == EngineIoVersion.V4)
            {
                // v4 polling bodies are always text (binary is base64 inside).
                session.CloseNow("transport error");
                await EngineIoErrors.WriteAsync(context, server, EngineIoErrors.BadRequest).ConfigureAwait(false);
                return;
            }

            var limit = server.Options.MaxHttpBufferSize;
            if (context.Request.ContentLength > limit)
            {
                await RejectTooLargeAsync(context, server, session, context.Request.ContentLength.Value).ConfigureAwait(false);
                return;
            }

            var reader = context.Request.BodyReader;
            var body = await ReadBodyAsync(reader, limit, context.RequestAborted).ConfigureAwait(false);
            if (body is not { } payload)
            {
                await RejectTooLargeAsync(context, server, session, limit + 1L).ConfigureAwait(false);
                return;
            }

            ThreadCounts.Current.BytesReceived += payload.Length;
            IReadOnlyList<EnginePacket> packets;
            try
            {
                packets = Decode(session, payload, isBinary);
            }
            catch (ProtocolException e)
            {
                session.ClosePerParseError(e.Message);
                await EngineIoErrors.WriteAsync(context, server, EngineIoErrors.BadRequest).ConfigureAwait(false);
                return;
            }
            finally
            {
                reader.AdvanceTo(payload.End);
            }

            session.Receive(packets);
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/html";
            response.ContentLength = Ok.Length;
            response.Headers.CacheControl = "no-store";
            await response.Body.WriteAsync(Ok, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away mid-request, as the reference: the session cannot trust its transport.
            session.CloseNow("transport error");
        }
        finally
        {
            session.EndPost();
        }
    }

    private static IReadOnlyList<EnginePacket> Decode(EngineSession session, ReadOnlySequence<byte> payload, bool isBinary)
    {
        if (isBinary)
        {
            return payload.IsSingleSegment
                ? PollingPayloadV3.DecodeBinary(payload.FirstSpan)
                : PollingPayloadV3.DecodeBinary(payload.ToArray());
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProtocolException("Polling payload is not valid UTF-8.", e);
        }

        if (session.JsonpIndex is not null)
        {
            text = PollingJsonp.UnwrapRequestBody(text);
        }

        if (session.Version == EngineIoVersion.V4)
        {
            return PollingPayloadV4.Decode(text);
        }

        var packets = PollingPayloadV3.Decode(text, out var byteCharacters);
        // A Socket.IO 1.x client showed itself: answer in its encoding from now on.
        session.PayloadsAsByteCharacters |= byteCharacters;
        return packets;
    }

    /// <summary>Reads the whole body, or returns null as soon as it exceeds <paramref name="limit"/> bytes.</summary>
    private static async Task<ReadOnlySequence<byte>?> ReadBodyAsync(PipeReader reader, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.Buffer.Length > limit)
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                // The caller advances past it once decoded.
                return result.Buffer;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static Task RejectTooLargeAsync(HttpContext context, EngineIoServer server, EngineSession session, long length)
    {
        // As the reference: 413, and the session stays (the client decides what to do).
        EngineIoLog.BodyTooLarge(server.Logger, session.Id, length, server.Options.MaxHttpBufferSize);
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static async Task WritePayloadAsync(HttpContext context, EngineSession session, IReadOnlyList<EnginePacket> batch)
    {
        byte[] body;
        string contentType;
        if (session.Version == EngineIoVersion.V3 && session.JsonpIndex is null && session.SupportsBinary && PollingPayloadV3.HasBinary(batch))
        {
            body = PollingPayloadV3.EncodeBinary(batch);
            contentType = "application/octet-stream";
        }
        else
        {
            var text = session.Version == EngineIoVersion.V4
                ? PollingPayloadV4.Encode(batch)
                : PollingPayloadV3.Encode(batch, session.PayloadsAsByteCharacters);
            if (session.JsonpIndex is { } index)
            {
                text = PollingJsonp.Wrap(text, index);
            }

            body = Encoding.UTF8.GetBytes(text);
            contentType = "text/plain; charset=UTF-8";
        }

        ThreadCounts.Current.BytesSent += body.Length;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client vanished with packets in flight; as the reference, they are lost with it.
            session.CloseNow("transport error");
        }
    }

    private static bool IsOctetStream(string? contentType) =>
        contentType is not null
        && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase);
}
