namespace Signaling.Protocol.SocketIo.Json;

/// <summary>The three JSON literal names.</summary>
internal enum JsonLiteral
{
    True,
    False,
    Null,
}
