using Newtonsoft.Json.Linq;

namespace Signaling.Protocol.SocketIo;

/// <summary>
/// One decoded (or to-be-encoded) Socket.IO packet. Binary attachments live inside
/// <see cref="Data"/> as <see cref="JValue"/>s of type <see cref="JTokenType.Bytes"/>:
/// the decoder puts them back where their placeholders were, and the encoder takes them out.
/// </summary>
public sealed class SocketPacket
{
    /// <summary>What the packet is.</summary>
    public required SocketPacketType Type { get; init; }

    /// <summary>The namespace, <c>/</c> when the packet names none.</summary>
    public string Namespace { get; init; } = "/";

    /// <summary>
    /// The query string a protocol v4 client appends to the namespace of a CONNECT
    /// (<c>0/admin?token=1,</c>), without the <c>?</c>; null when absent.
    /// </summary>
    public string? NamespaceQuery { get; init; }

    /// <summary>The acknowledgement id, for EVENT/BINARY_EVENT that want one and for ACK/BINARY_ACK.</summary>
    public int? AckId { get; init; }

    /// <summary>The JSON payload: the arguments array of an EVENT or ACK, the auth object of a CONNECT, etc.</summary>
    public JToken? Data { get; init; }
}
