namespace Signaling.Server.Signaling;

/// <summary>The event names of docs/SIGNALING.md, spelled exactly as clients send them.</summary>
public static class SignalingEvents
{
    /// <summary>A client announces its name; the server sends everyone the presence list under the same name.</summary>
    public const string Online = "online";
    /// <summary>The server tells a sender its relayed event found no target.</summary>
    public const string Error = "signaling error";
    /// <summary>Asks a peer for a call (relayed).</summary>
    public const string RequestChat = "request chat";
    /// <summary>The callee accepts, its stream ready (relayed).</summary>
    public const string StreamOk = "stream ok";
    /// <summary>Ends a call (relayed).</summary>
    public const string Hangup = "hangup";

    /// <summary>Events relayed from one socket to another, with the sender's id put first.</summary>
    public static readonly IReadOnlyList<string> Relayed = [RequestChat, StreamOk, "offer", "answer", "candidate", Hangup];
}
