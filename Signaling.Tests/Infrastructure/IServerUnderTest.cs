namespace Signaling.Tests.Infrastructure;

/// <summary>
/// A running Socket.IO server hosting the conformance fixture, for the interop tests: either the
/// Node.js reference (socket.io 4.8.4) or ours in-process. See <see cref="ServerUnderTest.StartAsync"/>.
/// </summary>
public interface IServerUnderTest : IAsyncDisposable
{
    /// <summary>"reference" or "ours".</summary>
    string Name { get; }

    /// <summary>The server's root, e.g. http://127.0.0.1:41234/.</summary>
    Uri BaseUrl { get; }

    /// <summary>What the server reported about failing connections so far, shown when a test fails.</summary>
    string Diagnostics { get; }
}
