namespace Signaling.Server.Signaling;

/// <summary>The event names of docs/SIGNALING.md, spelled exactly as clients send them.</summary>
public static class SignalingEvents
{
    public const string Online = "online";
    public const string Error = "signaling error";
    public const string RequestChat = "request chat";
    public const string StreamOk = "stream ok";
    public const string Hangup = "hangup";

    /// <summary>Events relayed from one socket to another, with the sender's id put first.</summary>
    public static readonly IReadOnlyList<string> Relayed = [RequestChat, StreamOk, "offer", "answer", "candidate", Hangup];
}
