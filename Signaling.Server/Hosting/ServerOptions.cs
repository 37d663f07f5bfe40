using System.ComponentModel.DataAnnotations;

namespace Signaling.Server.Hosting;

/// <summary>Options of the program itself, bound from the <c>Server</c> configuration section.</summary>
public sealed class ServerOptions : IValidatableObject
{
    public const string Section = "Server";

    /// <summary>The folder served at <c>/</c>; empty means the bundled <c>web</c> page.</summary>
    public string WebRoot { get; set; } = "";

    /// <summary>Write logs as JSON lines (one object per event) instead of readable text.</summary>
    public bool LogJson { get; set; }

    /// <summary>
    /// A path prefix such as <c>/chat</c> under which the page, its configuration, the client
    /// bundle and Engine.IO are all served (for a reverse proxy that forwards <c>/chat/…</c>
    /// unchanged); empty serves them at the root.
    /// </summary>
    public string PathBase { get; set; } = "";

    /// <summary>STUN/TURN servers handed to the page at <c>/signaling/config</c>.</summary>
    public List<IceServerOptions> IceServers { get; set; } = [];

    /// <summary>The proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed; none by default.</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>The folder served at <c>/</c>, relative paths from the working directory.</summary>
    public string WebRootPath => string.IsNullOrWhiteSpace(WebRoot) ? Path.Combine(AppContext.BaseDirectory, "web") : Path.GetFullPath(WebRoot);

    /// <summary>
    /// RTCConfiguration.iceTransportPolicy for the page: <c>all</c>, or <c>relay</c> to send every
    /// call through the TURN server (no direct or server-reflexive paths, so no peer learns another's address).
    /// </summary>
    public string IceTransportPolicy { get; set; } = "all";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Directory.Exists(WebRootPath))
        {
            yield return new ValidationResult($"is not a folder ({WebRootPath} does not exist)", [nameof(WebRoot)]);
        }
        var pathBase = PathBase.Trim().Trim('/');
        if (pathBase.Contains("//", StringComparison.Ordinal) || pathBase.IndexOfAny(['?', '#', '\\']) >= 0)
        {
            yield return new ValidationResult("is not a plain path such as /chat", [nameof(PathBase)]);
        }
        if (IceTransportPolicy is not ("all" or "relay"))
        {
            yield return new ValidationResult("must be all or relay", [nameof(IceTransportPolicy)]);
        }
    }
}
