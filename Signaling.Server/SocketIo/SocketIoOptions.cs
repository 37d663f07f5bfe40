using Signaling.Server.SocketIo.Recovery;

namespace Signaling.Server.SocketIo;

/// <summary>Options of the Socket.IO layer, bound from the <c>SocketIo</c> configuration section.</summary>
public sealed class SocketIoOptions
{
    public const string Section = "SocketIo";

    /// <summary>A session that joins no namespace within this time is closed (the reference's connectTimeout).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>JSON deeper than this in any packet closes the session: a guard against stack-exhausting payloads.</summary>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Binary attachments allowed in one packet.</summary>
    public int MaxAttachments { get; set; } = 64;

    /// <summary>Connection state recovery, for the namespaces that enable it (<c>SocketIo:Recovery</c>).</summary>
    public RecoveryOptions Recovery { get; set; } = new();
}
