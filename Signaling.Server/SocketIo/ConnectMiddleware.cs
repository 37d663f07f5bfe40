namespace Signaling.Server.SocketIo;

/// <summary>
/// Runs before a socket joins a namespace; returns null to accept or a rejection.
/// Synchronous on purpose: packets of one connection are handled strictly in order, and
/// an await here would let later packets overtake the CONNECT.
/// </summary>
public delegate ConnectRejection? ConnectMiddleware(SocketIoSocket socket);
