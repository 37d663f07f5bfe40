using Signaling.Protocol.EngineIo;

namespace Signaling.Server.EngineIo;

/// <summary>
/// The layer above Engine.IO. Calls for one connection never overlap and arrive in order:
/// open, then messages, then close exactly once. Implementations must not block.
/// </summary>
internal interface IEngineIoHandler
{
    void OnOpen(IEngineConnection connection);

    /// <summary>A message packet (text or binary) from the client.</summary>
    void OnMessage(IEngineConnection connection, EnginePacket packet);

    /// <summary>The session ended; <paramref name="reason"/> is one of the reference server's reasons (e.g. "transport close", "ping timeout", "forced close").</summary>
    void OnClose(IEngineConnection connection, string reason);
}
