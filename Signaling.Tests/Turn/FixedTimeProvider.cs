namespace Signaling.Tests.Turn;

/// <summary>A clock that always says the same time, for credentials issued "at" a chosen moment.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
