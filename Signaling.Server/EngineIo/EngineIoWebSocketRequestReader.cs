using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Signaling.Protocol.EngineIo;

namespace Signaling.Server.EngineIo;

/// <summary>
/// Reads the head of a connection's first request and tells whether it is an Engine.IO WebSocket
/// that <see cref="EngineIoSocketConnections"/> may answer itself: a GET of the Engine.IO path in
/// HTTP/1.1, a valid WebSocket request by ASP.NET's checks, which <see cref="EngineIoServer.Route"/>
/// takes as a new session (with no <see cref="EngineIoOptions.AllowRequest"/> hook) or as an upgrade.
/// Anything unusual is left to Kestrel, whose checks and answers then apply as without this.
/// </summary>
internal sealed class EngineIoWebSocketRequestReader
{
    /// <summary>Longest request head looked at; a longer one is left to the HTTP pipeline and its limits.</summary>
    internal const int MaxHeadSize = 16 * 1024;

    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

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

    private readonly EngineIoServer _server;
    private readonly byte[] _requestLinePrefix;
    private readonly byte[] _path;

    public EngineIoWebSocketRequestReader(EngineIoServer server)
    {
        _server = server;
        var path = server.Options.Path.TrimEnd('/');
        _path = Encoding.ASCII.GetBytes(path);
        _requestLinePrefix = Encoding.ASCII.GetBytes("GET " + path);
    }

    /// <summary>
    /// Parses a request head; <paramref name="complete"/> is false while more bytes could still
    /// make it one to take here. Returns null for anything left to the HTTP pipeline.
    /// </summary>
    public Request? Inspect(ReadOnlySpan<byte> data, out bool complete)
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
            return new Request(end + 4, url, query, headers, version, session);
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
    public string SwitchingProtocols(Request request)
    {
        var headers = request.Headers;
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

    /// <summary>A WebSocket request to take: its head is <paramref name="HeadLength"/> bytes long.</summary>
    internal sealed record Request(
        int HeadLength,
        string Url,
        Dictionary<string, StringValues> Query,
        Dictionary<string, StringValues> Headers,
        EngineIoVersion Version,
        EngineSession? Session);
}
