using Newtonsoft.Json;

namespace Signaling.Server.Hosting;

/// <summary>One entry of RTCConfiguration.iceServers, as the page passes it to RTCPeerConnection.</summary>
public sealed class IceServerOptions
{
    [JsonProperty("urls")]
    public List<string> Urls { get; set; } = [];

    [JsonProperty("username", NullValueHandling = NullValueHandling.Ignore)]
    public string? Username { get; set; }

    [JsonProperty("credential", NullValueHandling = NullValueHandling.Ignore)]
    public string? Credential { get; set; }
}
