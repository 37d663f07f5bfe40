namespace Signaling.Server.EngineIo;

/// <summary>The JSON of the open packet; <c>maxPayload</c> is sent to v4 clients only.</summary>
internal sealed record OpenPacketBody(string Sid, string[] Upgrades, long PingInterval, long PingTimeout, long? MaxPayload);
