namespace Signaling.Protocol.EngineIo;

/// <summary>The Engine.IO protocol revision a client speaks (the <c>EIO</c> query parameter).</summary>
public enum EngineIoVersion
{
    /// <summary>Socket.IO clients 1.x and 2.x.</summary>
    V3 = 3,

    /// <summary>Socket.IO clients 3.x and 4.x.</summary>
    V4 = 4,
}
