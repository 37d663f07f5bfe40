namespace Signaling.Protocol.EngineIo;

/// <summary>
/// One Engine.IO packet: a type and either a text payload (possibly empty) or, for binary
/// messages, raw bytes.
/// </summary>
public readonly record struct EnginePacket(EnginePacketType Type, string? Text, ReadOnlyMemory<byte> Binary, bool IsBinary)
{
    /// <summary>A packet of <paramref name="type"/> with a text payload (empty for most control packets).</summary>
    public static EnginePacket Create(EnginePacketType type, string text = "") => new(type, text, default, false);

    /// <summary>A text message.</summary>
    public static EnginePacket Message(string text) => new(EnginePacketType.Message, text, default, false);

    /// <summary>A binary message.</summary>
    public static EnginePacket BinaryMessage(ReadOnlyMemory<byte> data) => new(EnginePacketType.Message, null, data, true);
}
