using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Signaling.Server.Configuration;

namespace Signaling.Server.EngineIo;

/// <summary>
/// Engine.IO server settings, bindable from configuration (e.g. the <c>EngineIo</c> section).
/// Defaults are those of the Node reference server (engine.io 6).
/// </summary>
public sealed class EngineIoOptions : IValidatableObject
{
    /// <summary>The configuration section it binds from.</summary>
    public const string Section = "EngineIo";
    /// <summary>HTTP long-polling, in <see cref="Transports"/>.</summary>
    public const string PollingTransport = "polling";
    /// <summary>WebSocket, in <see cref="Transports"/>.</summary>
    public const string WebSocketTransport = "websocket";

    /// <summary>Where clients connect; requests to this path with or without the trailing slash are served.</summary>
    public string Path { get; set; } = "/socket.io/";

    /// <summary>v4: how often the server pings. v3: how often the client pings (sent in the handshake).</summary>
    // At most 24 days: a client's timers (setTimeout) fire at once past 2^31 ms.
    [Duration("1ms", "24d")]
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>v4: how long the server waits for a pong. v3: grace on top of <see cref="PingInterval"/> before a silent client is dropped.</summary>
    [Duration("1ms", "24d")]
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a client has to complete an upgrade to WebSocket after opening it.</summary>
    [Duration("1ms", "24d")]
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest accepted polling request body or WebSocket message, in bytes; also sent as <c>maxPayload</c> (v4).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be a positive number of bytes")]
    public int MaxHttpBufferSize { get; set; } = 1_000_000;

    /// <summary>
    /// Most the server holds for one client that does not read what it is sent (its queue, and
    /// the batch being written to its socket), in bytes of encoded messages; past it the
    /// connection is closed with reason <c>slow consumer</c>. Should exceed <see cref="MaxHttpBufferSize"/>.
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Most sessions one client address may hold at once (0, the default: no limit); handshakes
    /// past it are refused with 403. Behind a proxy every client has the proxy's address unless
    /// forwarded headers are applied.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; }

    /// <summary>Whether Engine.IO v3 clients (Socket.IO 1.x/2.x) are accepted.</summary>
    public bool AllowEio3 { get; set; } = true;

    /// <summary>
    /// Enabled transports: <c>polling</c> and/or <c>websocket</c>; null (the default) enables both.
    /// Null rather than a filled array because the configuration binder appends to an existing array.
    /// </summary>
    public string[]? Transports { get; set; }

    /// <summary>Whether polling sessions may upgrade to WebSocket.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>Origins that get CORS headers (the origin is reflected); <c>*</c> allows any; empty sends none.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Whether CORS responses allow credentials (cookies).</summary>
    public bool CorsCredentials { get; set; }

    /// <summary>
    /// Decides each handshake: <c>null</c> accepts; a message rejects it with 403 and
    /// <c>{"code":4,"message":...}</c>. Not bound from configuration.
    /// </summary>
    public Func<HttpContext, ValueTask<string?>>? AllowRequest { get; set; }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Path.StartsWith('/'))
        {
            yield return new ValidationResult("must start with /", [nameof(Path)]);
        }
        if (Transports is { Length: 0 })
        {
            yield return new ValidationResult($"must hold {PollingTransport} or {WebSocketTransport}", [nameof(Transports)]);
        }
        for (var i = 0; i < Transports?.Length; i++)
        {
            if (Transports[i] is not (PollingTransport or WebSocketTransport))
            {
                yield return new ValidationResult($"is not a transport: use {PollingTransport} or {WebSocketTransport}", [$"{nameof(Transports)}:{i}"]);
            }
        }
        for (var i = 0; i < CorsOrigins.Length; i++)
        {
            if (CorsOrigins[i] != "*" && !IsOrigin(CorsOrigins[i]))
            {
                yield return new ValidationResult("is not an origin: use * or scheme://host[:port], e.g. https://example.org", [$"{nameof(CorsOrigins)}:{i}"]);
            }
        }
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.PathAndQuery == "/" && !origin.EndsWith('/');

    internal bool IsTransportEnabled(string transport) =>
        Transports is null
            ? transport is PollingTransport or WebSocketTransport
            : Array.IndexOf(Transports, transport) >= 0;
}
