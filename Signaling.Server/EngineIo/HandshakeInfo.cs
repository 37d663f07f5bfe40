using System.Net;

namespace Signaling.Server.EngineIo;

/// <summary>What the request that opened an Engine.IO session carried.</summary>
public sealed record HandshakeInfo(
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    IPAddress? RemoteAddress,
    bool Secure,
    string Url,
    DateTimeOffset Issued);
