using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace Signaling.Server.EngineIo;

/// <summary>What the request that opened an Engine.IO session carried.</summary>
/// <remarks>
/// Every session keeps this for its whole life, and few handlers ever read it: the headers are
/// kept as one flat array and the query not at all (it is in <see cref="Url"/>); the
/// dictionaries are built when first asked for. Two dictionaries per idle session were ~0.7 KB.
/// </remarks>
internal sealed class HandshakeInfo
{
    // Name, value, name, value, ...: the request's headers as its header collection listed them.
    private readonly string[] _headers;
    private Dictionary<string, string>? _headerDictionary;
    private Dictionary<string, string>? _query;

    /// <summary>
    /// What a handshake request showed; <paramref name="headers"/> are name, value, name, value, ...:
    /// repeated headers joined with commas, as ASP.NET's <c>StringValues</c> prints them.
    /// </summary>
    internal HandshakeInfo(string[] headers, IPAddress? remoteAddress, bool secure, string url, DateTimeOffset issued)
    {
        _headers = headers;
        RemoteAddress = remoteAddress;
        Secure = secure;
        Url = url;
        Issued = issued;
    }

    /// <summary>The query of <see cref="Url"/>, parsed as ASP.NET parses a request's; repeated keys joined with commas.</summary>
    public IReadOnlyDictionary<string, string> Query => Volatile.Read(ref _query) ?? LazyInitializer.EnsureInitialized(ref _query, () => ParseQuery(Url));

    /// <summary>The headers by case-insensitive name.</summary>
    public IReadOnlyDictionary<string, string> Headers => Volatile.Read(ref _headerDictionary) ?? LazyInitializer.EnsureInitialized(ref _headerDictionary, HeaderDictionary);

    public IPAddress? RemoteAddress { get; }

    public bool Secure { get; }

    /// <summary>The request target: path and query as the client sent them.</summary>
    public string Url { get; }

    public DateTimeOffset Issued { get; }

    /// <summary>The query part of <paramref name="url"/> as a dictionary (ordinal keys, repeated keys joined with commas).</summary>
    private static Dictionary<string, string> ParseQuery(string url)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        var start = url.IndexOf('?', StringComparison.Ordinal);
        if (start >= 0)
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(url[start..]))
            {
                query[key] = value.ToString();
            }
        }

        return query;
    }

    private Dictionary<string, string> HeaderDictionary()
    {
        var headers = new Dictionary<string, string>(_headers.Length / 2, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _headers.Length; i += 2)
        {
            headers[_headers[i]] = _headers[i + 1];
        }

        return headers;
    }
}
