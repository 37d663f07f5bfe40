namespace Signaling.Server.EngineIo;

/// <summary>
/// What <see cref="EngineIoServer.Route"/> made of a request: one of the negative values below,
/// or else the <see cref="EngineIoErrors"/> code to answer it with.
/// </summary>
internal enum EngineIoRoute
{
    /// <summary>A polling request (GET, POST, ...) of an existing session.</summary>
    Polling = -3,

    /// <summary>A WebSocket for an existing polling session: the upgrade.</summary>
    Upgrade = -2,

    /// <summary>A new session, subject to <see cref="EngineIoOptions.AllowRequest"/>.</summary>
    Handshake = -1,
}
