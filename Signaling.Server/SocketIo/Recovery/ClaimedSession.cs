using Newtonsoft.Json.Linq;

namespace Signaling.Server.SocketIo.Recovery;

/// <summary>An away session claimed from another node: what its socket was, and the events kept for it, oldest first.</summary>
internal sealed record ClaimedSession(string Pid, string SocketId, IReadOnlyList<string> Rooms, JToken? Data, string Reason, IReadOnlyList<KeptEvent> Missed);
