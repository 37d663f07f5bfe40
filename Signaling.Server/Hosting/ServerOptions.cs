namespace Signaling.Server.Hosting;

/// <summary>Options of the program itself, bound from the <c>Server</c> configuration section.</summary>
public sealed class ServerOptions
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
}
