namespace Signaling.Server.Hosting;

/// <summary>
/// Where the page lives (<see cref="ServerOptions.PathBase"/>) and where Engine.IO is, both as
/// the server serves them and as the page finds Engine.IO: relative to itself, so that the page
/// works the same behind a proxy that strips a prefix the server never sees.
/// </summary>
internal sealed class WebPagePaths
{
    public WebPagePaths(string pathBase, string enginePath)
    {
        // ServerOptions' validation made sure it is a plain path.
        var trimmed = pathBase.Trim().Trim('/');
        PathBase = trimmed.Length == 0 ? "" : "/" + trimmed;
        var engine = "/" + enginePath.TrimStart('/');
        EnginePath = PathBase + engine;
        EngineRelativeToPage = engine[1..];
    }

    /// <summary>Empty, or a prefix like <c>/chat</c> (no trailing slash).</summary>
    public string PathBase { get; }

    /// <summary>The Engine.IO path the server serves, under <see cref="PathBase"/>.</summary>
    public string EnginePath { get; }

    /// <summary>The Engine.IO path relative to the page's folder, e.g. <c>socket.io/</c>.</summary>
    public string EngineRelativeToPage { get; }
}
