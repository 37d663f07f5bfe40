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

    /// <summary>Headers sent with every request of the client, its WebSocket's included.</summary>
    public IReadOnlyDictionary<string, string>? ExtraHeaders { get; init; }

    /// <summary>For an https server: the PEM certificate its certificate must chain to (Node's <c>ca</c> option).</summary>
    public string? CertificateAuthority { get; init; }

    /// <summary>Keep cookies, e.g. a load balancer's (4.x in Node.js: its cookie jar; Node's 1.x–3.x have none).</summary>
    public bool WithCredentials { get; init; }

    /// <summary>The loopback address the client connects from (e.g. <c>127.0.0.12</c>); null lets the system choose.</summary>
    public string? LocalAddress { get; init; }

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

        if (ExtraHeaders is not null)
        {
            config["extraHeaders"] = JObject.FromObject(ExtraHeaders);
        }

        if (CertificateAuthority is not null)
        {
            config["ca"] = CertificateAuthority;
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

        if (WithCredentials)
        {
            config["withCredentials"] = true;
        }

        if (LocalAddress is not null)
        {
            config["localAddress"] = LocalAddress;
        }

        return config.ToString(Formatting.None);
    }
}
