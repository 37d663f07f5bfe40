namespace Signaling.Server.SocketIo;

/// <summary>
/// The reference's broadcast flags: <c>local</c> keeps the emit on this node, <c>volatile</c>
/// lets it be dropped, <c>compress</c> is carried for Node nodes, <c>timeout</c> bounds an emit
/// that waits for acknowledgements.
/// </summary>
public readonly record struct BroadcastFlags(bool Local = false, bool Volatile = false, bool? Compress = null, TimeSpan? Timeout = null);
