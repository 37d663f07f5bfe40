namespace Signaling.Protocol;

/// <summary>
/// A packet or payload that does not follow the Engine.IO or Socket.IO specification.
/// Every decoder throws only this type for bad input, so the server can close the
/// offending session without knowing which JSON or parsing library sat underneath.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>What is wrong with the input.</summary>
    public ProtocolException(string message) : base(message) { }

    /// <summary>What is wrong with the input, found by <paramref name="inner"/>.</summary>
    public ProtocolException(string message, Exception inner) : base(message, inner) { }
}
