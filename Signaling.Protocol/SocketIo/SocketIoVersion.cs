namespace Signaling.Protocol.SocketIo;

/// <summary>
/// The Socket.IO protocol revision. Official clients pair them with Engine.IO:
/// v4 rides on Engine.IO 3 (clients 1.x/2.x), v5 on Engine.IO 4 (clients 3.x/4.x).
/// </summary>
public enum SocketIoVersion
{
    V4 = 4,
    V5 = 5,
}
