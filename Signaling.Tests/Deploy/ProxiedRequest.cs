using System.Text.RegularExpressions;

namespace Signaling.Tests.Deploy;

/// <summary>One request a proxy logged: its status, the node it went to, and the request target.</summary>
internal sealed partial record ProxiedRequest(int Status, string Node, string Target)
{
    /// <summary>The Engine.IO session the request belongs to; null for a handshake or anything else.</summary>
    public string? Sid => SidParameter().Match(Target) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"[?&]sid=([^&\s]+)")]
    private static partial Regex SidParameter();
}
