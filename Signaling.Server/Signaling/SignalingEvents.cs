namespace Signaling.Server.Signaling;

/// <summary>The event names of docs/SIGNALING.md, spelled exactly as clients send them.</summary>
public static class SignalingEvents
{
    public const string Online = "online";
    public const string Error = "signaling error";

    /// <summary>Events relayed from one socket to another, with the sender's id put first.</summary>
    public static readonly IReadOnlyList<string> Relayed = ["request chat", "stream ok", "offer", "answer", "candidate", "hangup"];
}
