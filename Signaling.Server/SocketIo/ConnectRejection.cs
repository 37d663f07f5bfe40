using Newtonsoft.Json.Linq;

namespace Signaling.Server.SocketIo;

/// <summary>
/// Why a connect middleware refused a socket; sent to the client as CONNECT_ERROR with
/// <see cref="Message"/> and, for protocol v5 clients, the optional <see cref="Data"/>.
/// </summary>
public sealed record ConnectRejection(string Message, JToken? Data = null);
