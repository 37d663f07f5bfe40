namespace Signaling.Tests.Infrastructure;

/// <summary>
/// A major version of the official Socket.IO JavaScript client (npm aliases socket.io-client-1..4).
/// 1.x and 2.x speak Engine.IO 3 / Socket.IO protocol v4; 3.x and 4.x speak Engine.IO 4 / v5.
/// </summary>
public enum ClientVersion
{
    V1 = 1,
    V2 = 2,
    V3 = 3,
    V4 = 4,
}
