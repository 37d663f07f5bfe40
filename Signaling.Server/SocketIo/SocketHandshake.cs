using System.Net;
using Newtonsoft.Json.Linq;

namespace Signaling.Server.SocketIo;

/// <summary>What a socket's connection carried: the reference's <c>socket.handshake</c>.</summary>
public sealed record SocketHandshake(
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    JObject Auth,
    IPAddress? Address,
    bool Secure,
    string Url,
    DateTimeOffset Issued);
