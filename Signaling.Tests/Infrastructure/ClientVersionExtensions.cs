namespace Signaling.Tests.Infrastructure;

/// <summary>What each client generation can do, so tests ask rather than compare numbers.</summary>
public static class ClientVersionExtensions
{
    /// <summary>Only 3.x and later send an auth payload with the namespace connect.</summary>
    public static bool SupportsAuth(this ClientVersion version) => version >= ClientVersion.V3;

    /// <summary>The Engine.IO protocol revision the client speaks (its EIO query parameter).</summary>
    public static int EngineIoProtocol(this ClientVersion version) => version >= ClientVersion.V3 ? 4 : 3;
}
