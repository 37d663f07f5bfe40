namespace Signaling.Server.Diagnostics;

/// <summary>Tags of the health checks (ASP.NET Core's <c>AddHealthChecks().AddCheck(..., tags: ...)</c>).</summary>
public static class HealthTags
{
    /// <summary>
    /// Checks that <c>/readyz</c> runs: add a check with this tag for anything the server needs to
    /// take clients (a Redis connection, say). <c>/healthz</c> runs none: it answers while the process does.
    /// </summary>
    public const string Ready = "ready";
}
