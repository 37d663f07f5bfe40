using Signaling.Protocol.EngineIo;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>One event kept for a replay: its offset and its Engine.IO frames (text, then binary attachments).</summary>
internal readonly record struct KeptEvent(long Offset, IReadOnlyList<EnginePacket> Frames);
