namespace Signaling.LoadGen;

/// <summary>One connection attempt: the connection or the error, and how long the handshake took.</summary>
public sealed record ConnectAttempt(EioConnection? Connection, string? Error, TimeSpan Elapsed);
