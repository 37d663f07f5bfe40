namespace Signaling.Server.Cluster;

/// <summary>
/// A request to the other nodes of the cluster ended at its timeout without every answer: some
/// node is gone, slow, or (for a server-side emit) has no handler for the event.
/// </summary>
public sealed class RequestTimeoutException : TimeoutException
{
    internal RequestTimeoutException(string request, IReadOnlyList<object> answers, int expected)
        : base($"timeout reached while waiting for {request} response: only {answers.Count} responses received out of {expected}")
    {
        Request = request;
        Answers = answers;
        Expected = expected;
    }

    /// <summary>The request that timed out, such as <c>fetchSockets</c>.</summary>
    public string Request { get; }

    /// <summary>How many answers did come.</summary>
    public int Received => Answers.Count;

    /// <summary>How many nodes were expected to answer.</summary>
    public int Expected { get; }

    /// <summary>The answers that did come, each of the request's answer type.</summary>
    internal IReadOnlyList<object> Answers { get; }
}
