using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Newtonsoft.Json.Linq;
using Signaling.Server.EngineIo;

namespace Signaling.Server.SocketIo;

/// <summary>What a socket's connection carried: the reference's <c>socket.handshake</c>.</summary>
/// <remarks>
/// Made when a handler first asks (<see cref="SocketIoSocket.Handshake"/>) over the connection's
/// <see cref="HandshakeInfo"/>, whose headers and query it shares; only a query the client gave
/// with its namespace connect makes a dictionary of its own.
/// </remarks>
public sealed class SocketHandshake
{
    private readonly HandshakeInfo _connection;
    private readonly string? _namespaceQuery;
    private IReadOnlyDictionary<string, string>? _query;

    internal SocketHandshake(HandshakeInfo connection, JObject? auth, string? namespaceQuery)
    {
        _connection = connection;
        _namespaceQuery = namespaceQuery;
        Auth = auth ?? [];
    }

    /// <summary>The connection's query, with the keys of the namespace connect's own query (protocol v4) in place of its.</summary>
    public IReadOnlyDictionary<string, string> Query => Volatile.Read(ref _query) ?? LazyInitializer.EnsureInitialized(ref _query, BuildQuery);

    /// <summary>The headers by case-insensitive name.</summary>
    public IReadOnlyDictionary<string, string> Headers => _connection.Headers;

    /// <summary>What the client sent with its namespace connect (protocol v5); empty when nothing.</summary>
    public JObject Auth { get; }

    /// <summary>The client's address (after forwarded headers, when trusted).</summary>
    public IPAddress? Address => _connection.RemoteAddress;

    /// <summary>Whether the connection came over HTTPS.</summary>
    public bool Secure => _connection.Secure;

    /// <summary>The handshake request's path and query.</summary>
    public string Url => _connection.Url;

    /// <summary>When the Engine.IO session was opened.</summary>
    public DateTimeOffset Issued => _connection.Issued;

    /// <summary>
    /// The handshake as a Node node describes its sockets' to a cluster (socket.io's
    /// <c>buildHandshake</c>): header names in lower case, <c>time</c> as JavaScript prints a Date.
    /// </summary>
    public JObject ToJson()
    {
        var headers = new JObject();
        foreach (var (name, value) in Headers)
        {
            headers[name.ToLowerInvariant()] = value;
        }
        var query = new JObject();
        foreach (var (key, value) in Query)
        {
            query[key] = value;
        }
        return new JObject
        {
            ["headers"] = headers,
            ["time"] = Issued.UtcDateTime.ToString("ddd MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", CultureInfo.InvariantCulture),
            ["address"] = Address?.ToString(),
            ["xdomain"] = Headers.ContainsKey("origin"),
            ["secure"] = Secure,
            ["issued"] = Issued.ToUnixTimeMilliseconds(),
            ["url"] = Url,
            ["query"] = query,
            ["auth"] = Auth.DeepClone(),
        };
    }

    private IReadOnlyDictionary<string, string> BuildQuery()
    {
        if (string.IsNullOrEmpty(_namespaceQuery))
        {
            return _connection.Query;
        }

        var merged = new Dictionary<string, string>(_connection.Query, StringComparer.Ordinal);
        foreach (var (key, value) in QueryHelpers.ParseQuery(_namespaceQuery))
        {
            merged[key] = value.ToString();
        }

        return merged;
    }
}
