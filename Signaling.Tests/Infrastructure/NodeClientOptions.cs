using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Infrastructure;

/// <summary>How client-driver.js sets up its official Socket.IO client.</summary>
public sealed record NodeClientOptions(ClientVersion Version, TransportMode Transport)
{
    /// <summary>The Socket.IO namespace to connect to, e.g. "/custom".</summary>
    public string Namespace { get; init; } = "/";

    /// <summary>The handshake auth payload (3.x and later only).</summary>
    public JObject? Auth { get; init; }

    /// <summary>Extra query parameters of the Engine.IO requests.</summary>
    public IReadOnlyDictionary<string, string>? Query { get; init; }

    /// <summary>Off by default so a lost connection shows as a disconnect rather than a silent retry.</summary>
    public bool Reconnection { get; init; }

    public int? ReconnectionAttempts { get; init; }

    public TimeSpan? ReconnectionDelay { get; init; }

    /// <summary>The client's connection timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// More options for the client's <c>io()</c> call, passed as they are: e.g. <c>ca</c> (a PEM
    /// certificate to trust for https) or <c>withCredentials</c> (4.x in Node: keep cookies).
    /// </summary>
    public JObject? ClientOptions { get; init; }

    /// <summary>The driver's command line configuration for a server at <paramref name="serverUrl"/>.</summary>
    public string ToDriverConfig(Uri serverUrl)
    {
        var config = new JObject
        {
            ["version"] = (int)Version,
            ["url"] = serverUrl.GetLeftPart(UriPartial.Authority),
            ["namespace"] = Namespace,
            ["transports"] = Transport switch
            {
                TransportMode.Polling => "polling",
                TransportMode.WebSocket => "websocket",
                TransportMode.PollingThenUpgrade => "upgrade",
                _ => throw new ArgumentOutOfRangeException(nameof(Transport), Transport, null),
            },
            ["reconnection"] = Reconnection,
        };
        if (Auth is not null)
        {
            config["auth"] = Auth;
        }

        if (Query is not null)
        {
            config["query"] = JObject.FromObject(Query);
        }

        if (ReconnectionAttempts is { } attempts)
        {
            config["reconnectionAttempts"] = attempts;
        }

        if (ReconnectionDelay is { } delay)
        {
            config["reconnectionDelay"] = (int)delay.TotalMilliseconds;
        }

        if (Timeout is { } timeout)
        {
            config["timeout"] = (int)timeout.TotalMilliseconds;
        }

        if (ClientOptions is not null)
        {
            config["clientOptions"] = ClientOptions;
        }

        return config.ToString(Formatting.None);
    }
}
