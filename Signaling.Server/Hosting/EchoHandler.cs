using Signaling.Protocol.EngineIo;
using Signaling.Server.EngineIo;

namespace Signaling.Server.Hosting;

/// <summary>A bare Engine.IO endpoint that sends every message back: the Engine.IO test suite's fixture.</summary>
internal sealed class EchoHandler : IEngineIoHandler
{
    public void OnOpen(IEngineConnection connection)
    {
    }

    public void OnMessage(IEngineConnection connection, EnginePacket packet) => connection.Send(packet);

    public void OnClose(IEngineConnection connection, string reason)
    {
    }
}
