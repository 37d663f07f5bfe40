using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Cluster;

/// <summary>
/// A request to the other nodes of the cluster ended at its timeout without every answer: some
/// node is gone, slow, or (for a server-side emit) has no handler for the event.
/// </summary>
public sealed class RequestTimeoutException : TimeoutException
{
    internal RequestTimeoutException(string request, IReadOnlyList<JToken> answers, int expected)
        : base($"timeout reached while waiting for {request} response: only {answers.Count} responses received out of {expected}")
    {
        Request = request;
        Answers = answers;
        Expected = expected;
    }

    /// <summary>The request that timed out, such as <c>fetchSockets</c>.</summary>
    public string Request { get; }

    /// <summary>The answers that did come.</summary>
    public IReadOnlyList<JToken> Answers { get; }

    /// <summary>How many nodes were expected to answer.</summary>
    public int Expected { get; }

    /// <summary>As the broadcast operator's timeout, for a server-side emit's waiter.</summary>
    internal BroadcastAckTimeoutException AsAckTimeout() => new(Message, Answers);
}
