namespace Signaling.Tests.Infrastructure;

/// <summary>Which Engine.IO transports a client may use.</summary>
public enum TransportMode
{
    /// <summary>HTTP long-polling only.</summary>
    Polling,

    /// <summary>WebSocket from the first request.</summary>
    WebSocket,

    /// <summary>Polling first, then upgraded to WebSocket (every client's default).</summary>
    PollingThenUpgrade,
}
