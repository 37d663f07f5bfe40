namespace Signaling.Protocol.EngineIo;

/// <summary>
/// One Engine.IO packet: a type and either a text payload (possibly empty) or, for binary
/// messages, raw bytes.
/// </summary>
public readonly record struct EnginePacket(EnginePacketType Type, string? Text, ReadOnlyMemory<byte> Binary, bool IsBinary)
{
    public static EnginePacket Create(EnginePacketType type, string text = "") => new(type, text, default, false);

    public static EnginePacket Message(string text) => new(EnginePacketType.Message, text, default, false);

    public static EnginePacket BinaryMessage(ReadOnlyMemory<byte> data) => new(EnginePacketType.Message, null, data, true);
}
