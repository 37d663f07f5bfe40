using System.ComponentModel.DataAnnotations;
using Signaling.Server.Configuration;
using Signaling.Server.SocketIo.Recovery;

namespace Signaling.Server.SocketIo;

/// <summary>Options of the Socket.IO layer, bound from the <c>SocketIo</c> configuration section.</summary>
public sealed class SocketIoOptions
{
    /// <summary>The configuration section it binds from.</summary>
    public const string Section = "SocketIo";

    /// <summary>A session that joins no namespace within this time is closed (the reference's connectTimeout).</summary>
    [Duration("1ms", "24d")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>JSON deeper than this in any packet closes the session: a guard against stack-exhausting payloads.</summary>
    [Range(1, 1000, ErrorMessage = "must be between 1 and 1000")]
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Binary attachments allowed in one packet.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "must not be negative")]
    public int MaxAttachments { get; set; } = 64;

    /// <summary>Per-connection limits on inbound packets and bytes (<c>SocketIo:RateLimit</c>).</summary>
    public SocketIoRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Connection state recovery, for the namespaces that enable it (<c>SocketIo:Recovery</c>).</summary>
    public RecoveryOptions Recovery { get; set; } = new();
}
