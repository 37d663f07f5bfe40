namespace Signaling.Server.Hosting;

/// <summary>Options of the program itself, bound from the <c>Server</c> configuration section.</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>The folder served at <c>/</c>; empty means the bundled <c>web</c> page.</summary>
    public string WebRoot { get; set; } = "";

    /// <summary>Write logs as JSON lines (one object per event) instead of readable text.</summary>
    public bool LogJson { get; set; }

    /// <summary>STUN/TURN servers handed to the page at <c>/signaling/config</c>.</summary>
    public List<IceServerOptions> IceServers { get; set; } = [];

    /// <summary>
    /// RTCConfiguration.iceTransportPolicy for the page: <c>all</c>, or <c>relay</c> to send every
    /// call through the TURN server (no direct or server-reflexive paths, so no peer learns another's address).
    /// </summary>
    public string IceTransportPolicy { get; set; } = "all";
}
