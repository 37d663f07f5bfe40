namespace Signaling.Protocol.SocketIo;

/// <summary>
/// The Socket.IO protocol revision. Official clients pair them with Engine.IO:
/// v4 rides on Engine.IO 3 (clients 1.x/2.x), v5 on Engine.IO 4 (clients 3.x/4.x).
/// </summary>
public enum SocketIoVersion
{
    /// <summary>Protocol 4, on Engine.IO 3: Socket.IO clients 1.x and 2.x.</summary>
    V4 = 4,

    /// <summary>Protocol 5, on Engine.IO 4: Socket.IO clients 3.x and 4.x.</summary>
    V5 = 5,
}
