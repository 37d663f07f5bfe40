namespace Signaling.LoadGen;

/// <summary>Keeps a connection alive (pings answered) without looking at what it receives.</summary>
public sealed class IgnoreEvents : IEventSink
{
    public static readonly IgnoreEvents Instance = new();

    private IgnoreEvents()
    {
    }

    public void OnEvent(ReadOnlySpan<byte> packet)
    {
    }
}
