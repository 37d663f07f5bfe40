using Newtonsoft.Json.Linq;

namespace Signaling.Server.SocketIo;

/// <summary>
/// An emit that waited for acknowledgements (from sockets, or from the other nodes of a cluster)
/// did not get all of them in time; <see cref="Responses"/> holds those that came.
/// </summary>
public sealed class BroadcastAckTimeoutException(string message, IReadOnlyList<JToken> responses) : TimeoutException(message)
{
    /// <summary>The acks that did arrive in time.</summary>
    public IReadOnlyList<JToken> Responses { get; } = responses;
}
