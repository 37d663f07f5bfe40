using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Signaling.Protocol.EngineIo;

namespace Signaling.Server.EngineIo;

/// <summary>
/// A Kestrel connection middleware that opens Engine.IO WebSockets without the HTTP pipeline.
/// A WebSocket accepted through ASP.NET keeps its whole HTTP/1.1 request alive as long as it is
/// open (Kestrel's connection, request and response objects, the HttpContext and the awaiting
/// handlers: about 6 KB of an idle connection's memory); here only the connection remains.
/// </summary>
/// <remarks>
/// It peeks at the first request of each new connection without consuming it. A GET of the
/// Engine.IO path that is a valid WebSocket request and that <see cref="EngineIoServer.Route"/>
/// takes as a new session or as an upgrade is answered here with 101 and runs the same
/// <see cref="WebSocketTransport"/>. Everything else (other paths, polling, requests Engine.IO
/// refuses, unusual or oversized heads, any <see cref="EngineIoOptions.AllowRequest"/> hook, TLS,
/// HTTP/2, later requests of a keep-alive connection) goes to the HTTP pipeline with all its bytes
/// and is answered there exactly as without this middleware.
/// </remarks>
internal sealed class EngineIoWebSocketConnections
{
    /// <summary>Longest request head looked at; a longer one is left to the HTTP pipeline and its limits.</summary>
    internal const int MaxHeadSize = 16 * 1024;

    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static readonly WebSocketCreationOptions WebSocketOptions = new()
    {
        IsServer = true,
        // Engine.IO has its own heartbeat; WebSocket-level pings would only add traffic.
        KeepAliveInterval = TimeSpan.Zero,
    };

    /// <summary>
    /// Header names spelled as Kestrel spells them, and values WebSocket requests repeat: each
    /// session keeps its request headers, and shares these strings instead of a copy of its own.
    /// </summary>
    private static readonly string[] CommonStrings =
    [
        HeaderNames.Host, HeaderNames.Connection, HeaderNames.Upgrade, HeaderNames.SecWebSocketKey,
        HeaderNames.SecWebSocketVersion, HeaderNames.SecWebSocketExtensions, HeaderNames.SecWebSocketProtocol,
        HeaderNames.Origin, HeaderNames.UserAgent, HeaderNames.Accept, HeaderNames.AcceptEncoding,
        HeaderNames.AcceptLanguage, HeaderNames.CacheControl, HeaderNames.Pragma, HeaderNames.Cookie,
        "websocket", "13", "permessage-deflate; client_max_window_bits",
    ];

    private readonly ConnectionDelegate _next;
    private readonly EngineIoServer _server;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _headTimeout;
    private readonly byte[] _requestLinePrefix;
    private readonly byte[] _path;

    /// <param name="next">The rest of the connection pipeline (Kestrel's HTTP server).</param>
    /// <param name="server">The Engine.IO server whose WebSockets are served.</param>
    /// <param name="idleTimeout">How long a new connection may stay silent (Kestrel's keep-alive timeout).</param>
    /// <param name="headTimeout">How long its first request head may take once it has begun (Kestrel's request headers timeout).</param>
    public EngineIoWebSocketConnections(ConnectionDelegate next, EngineIoServer server, TimeSpan idleTimeout, TimeSpan headTimeout)
    {
        _next = next;
        _server = server;
        _idleTimeout = idleTimeout;
        _headTimeout = headTimeout;
        var path = server.Options.Path.TrimEnd('/');
        _path = Encoding.ASCII.GetBytes(path);
        _requestLinePrefix = Encoding.ASCII.GetBytes("GET " + path);
    }

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        // Only the run and its WebSocket outlive the opening: the parsed request is garbage by
        // then instead of staying in this method's state for the life of the connection.
        if (await OpenAsync(connection).ConfigureAwait(false) is var (run, socket))
        {
            using (socket)
            {
                await run.ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Serves the connection through the HTTP pipeline, or answers its WebSocket request and
    /// returns the running session; null once there is nothing left to run.
    /// </summary>
    private async Task<(Task Run, WebSocket Socket)?> OpenAsync(ConnectionContext connection)
    {
        if (connection.Features.Get<ITlsHandshakeFeature>() is not null)
        {
            // Decrypted by a TLS middleware earlier in the chain: ASP.NET knows it is https.
            await _next(connection).ConfigureAwait(false);
            return null;
        }

        WebSocketRequest? request;
        using (var timeout = new CancellationTokenSource(_idleTimeout, _server.Time))
        {
            try
            {
                request = await PeekAsync(connection.Transport.Input, timeout).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // A client that never completes its request head does not hold the connection.
                EngineIoLog.RequestHeadTimedOut(_server.Logger, connection.ConnectionId);
                return null;
            }
        }

        if (request is null)
        {
            await _next(connection).ConfigureAwait(false);
            return null;
        }

        var aborted = connection.ConnectionClosed;
        var supportsBinary = EngineIoServer.SupportsBinary(request.Query.GetValueOrDefault("b64"));
        var socket = WebSocket.CreateFromStream(new DuplexPipeStream(connection.Transport), WebSocketOptions);
        // An upgrade begins before the 101 goes out: a client that has it may at once send a
        // poll on another connection, which must find the session upgrading.
        var upgrade = request.Session is { } session ? _server.BeginUpgrade(session, socket, supportsBinary, aborted) : null;
        var output = connection.Transport.Output;
        var response = SwitchingProtocols(request.Headers);
        Encoding.ASCII.GetBytes(response, output.GetSpan(response.Length));
        output.Advance(response.Length);
        var sent = false;
        try
        {
            sent = !(await output.FlushAsync().ConfigureAwait(false)).IsCompleted;
        }
        catch (IOException)
        {
            // The client left before its answer; a begun upgrade still runs, to end at once.
        }

        if (upgrade is not null)
        {
            return (_server.RunWebSocketAsync(upgrade), socket);
        }

        if (!sent)
        {
            socket.Dispose();
            return null;
        }

        var handshake = _server.BuildHandshakeInfo(request.Query, request.Headers, (connection.RemoteEndPoint as IPEndPoint)?.Address, secure: false, request.Url);
        return (_server.RunWebSocketSessionAsync(request.Version, handshake, socket, supportsBinary, aborted), socket);
    }

    /// <summary>
    /// Reads until the first request head is complete or can no longer be a WebSocket this
    /// middleware takes. Returns the request with its head consumed, or null with nothing consumed.
    /// </summary>
    private async Task<WebSocketRequest?> PeekAsync(PipeReader input, CancellationTokenSource timeout)
    {
        var started = false;
        while (true)
        {
            var result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (!started && !buffer.IsEmpty)
            {
                started = true;
                timeout.CancelAfter(_headTimeout);
            }

            var request = Inspect(buffer, out var complete);
            if (!complete && !result.IsCompleted && !result.IsCanceled && buffer.Length < MaxHeadSize)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            if (request is null)
            {
                // Nothing consumed nor examined: the HTTP pipeline's first read returns these bytes at once.
                input.AdvanceTo(buffer.Start);
                return null;
            }

            input.AdvanceTo(buffer.GetPosition(request.HeadLength));
            return request;
        }
    }

    private WebSocketRequest? Inspect(ReadOnlySequence<byte> buffer, out bool complete)
    {
        var length = (int)Math.Min(buffer.Length, MaxHeadSize);
        if (buffer.FirstSpan.Length >= length)
        {
            return Inspect(buffer.FirstSpan[..length], out complete);
        }

        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(copy);
            return Inspect(copy.AsSpan(0, length), out complete);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>
    /// Parses a request head; <paramref name="complete"/> is false while more bytes could still
    /// make it one this middleware takes. Returns null for anything it leaves to the HTTP pipeline.
    /// </summary>
    private WebSocketRequest? Inspect(ReadOnlySpan<byte> data, out bool complete)
    {
        complete = true;
        var prefixLength = Math.Min(data.Length, _requestLinePrefix.Length);
        if (!data[..prefixLength].SequenceEqual(_requestLinePrefix.AsSpan(0, prefixLength)))
        {
            return null;
        }

        var end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            complete = false;
            return null;
        }

        var head = data[..(end + 2)];
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = head[..lineEnd];
        if (!line.EndsWith(" HTTP/1.1"u8))
        {
            return null;
        }

        var target = line[4..^9];
        if (target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
        {
            return null;
        }

        var queryStart = target.IndexOf((byte)'?');
        var path = queryStart < 0 ? target : target[..queryStart];
        if (!path.SequenceEqual(_path) && !(path.Length == _path.Length + 1 && path.StartsWith(_path) && path[^1] == '/'))
        {
            return null;
        }

        var headers = ParseHeaders(head[(lineEnd + 2)..]);
        if (headers is null || !IsWebSocketRequest(headers))
        {
            return null;
        }

        var url = Encoding.ASCII.GetString(target);
        var query = queryStart < 0 ? new Dictionary<string, StringValues>() : QueryHelpers.ParseQuery(url[queryStart..]);
        var route = _server.Route(HttpMethods.Get, query.GetValueOrDefault("transport"), query.GetValueOrDefault("EIO"), query.GetValueOrDefault("sid"), isWebSocket: true, out var version, out var session);
        if (route == EngineIoRoute.Upgrade || (route == EngineIoRoute.Handshake && _server.Options.AllowRequest is null))
        {
            return new WebSocketRequest(end + 4, url, query, headers, version, session);
        }

        return null;
    }

    /// <summary>Header lines as ASP.NET would show them; null for anything unusual, left to Kestrel's own checks and answers.</summary>
    private static Dictionary<string, StringValues>? ParseHeaders(ReadOnlySpan<byte> lines)
    {
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        while (!lines.IsEmpty)
        {
            var lineEnd = lines.IndexOf("\r\n"u8);
            var line = lines[..lineEnd];
            lines = lines[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                return null;
            }

            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0)
            {
                return null;
            }

            var name = Common(line[..colon], ignoreCase: true);
            var text = Common(value, ignoreCase: false);
            headers[name] = headers.TryGetValue(name, out var earlier) ? StringValues.Concat(earlier, text) : new StringValues(text);
        }

        // A body, or a missing or odd Host, is Kestrel's to answer.
        if (headers.ContainsKey(HeaderNames.ContentLength) || headers.ContainsKey(HeaderNames.TransferEncoding)
            || !headers.TryGetValue(HeaderNames.Host, out var host) || host.Count != 1 || !IsHost(host.ToString()))
        {
            return null;
        }

        return headers;
    }

    private static string Common(ReadOnlySpan<byte> ascii, bool ignoreCase)
    {
        Span<char> chars = stackalloc char[Math.Min(ascii.Length, 64)];
        if (ascii.Length <= chars.Length)
        {
            Encoding.ASCII.GetChars(ascii, chars);
            foreach (var common in CommonStrings)
            {
                if (chars.Equals(common, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                {
                    return common;
                }
            }
        }

        return Encoding.ASCII.GetString(ascii);
    }

    /// <summary>The checks of ASP.NET's <c>IsWebSocketRequest</c>: a request failing them is not a WebSocket there either.</summary>
    private static bool IsWebSocketRequest(Dictionary<string, StringValues> headers)
    {
        if (!headers.TryGetValue(HeaderNames.Connection, out var connection)
            || !connection.Any(value => value is not null && value.Split(',').Any(token => token.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase))))
        {
            return false;
        }

        if (!headers.TryGetValue(HeaderNames.Upgrade, out var upgrade) || upgrade.Count != 1
            || !string.Equals(upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!headers.TryGetValue(HeaderNames.SecWebSocketVersion, out var version) || version.Count != 1 || version.ToString() != "13")
        {
            return false;
        }

        Span<byte> key = stackalloc byte[16];
        return headers.TryGetValue(HeaderNames.SecWebSocketKey, out var keys) && keys.Count == 1
            && Convert.TryFromBase64String(keys.ToString(), key, out var written) && written == 16;
    }

    private static bool IsToken(ReadOnlySpan<byte> name) =>
        name.IndexOfAnyExcept("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8) < 0;

    private static bool IsHost(string host) =>
        host.Length > 0 && host.AsSpan().IndexOfAnyExcept("-._~!$&'()*+,;=:[]%0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") < 0;

    /// <summary>The 101 answer, with the CORS headers the HTTP pipeline would add (<see cref="EngineIoCors"/>).</summary>
    private string SwitchingProtocols(Dictionary<string, StringValues> headers)
    {
        var key = headers[HeaderNames.SecWebSocketKey].ToString().Trim();
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
        var response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n")
            .Append("Sec-WebSocket-Accept: ").Append(accept).Append("\r\n");
        var options = _server.Options;
        if (options.CorsOrigins.Length > 0)
        {
            response.Append("Vary: Origin\r\n");
            var origin = headers.GetValueOrDefault(HeaderNames.Origin).ToString();
            if (EngineIoCors.IsAllowed(origin, options))
            {
                response.Append("Access-Control-Allow-Origin: ").Append(origin).Append("\r\n");
                if (options.CorsCredentials)
                {
                    response.Append("Access-Control-Allow-Credentials: true\r\n");
                }
            }
        }

        return response.Append("\r\n").ToString();
    }

    private sealed record WebSocketRequest(
        int HeadLength,
        string Url,
        Dictionary<string, StringValues> Query,
        Dictionary<string, StringValues> Headers,
        EngineIoVersion Version,
        EngineSession? Session);
}
