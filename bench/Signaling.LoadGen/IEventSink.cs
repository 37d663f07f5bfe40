namespace Signaling.LoadGen;

/// <summary>
/// Receives the Socket.IO EVENT packets (<c>42[...]</c>) of one connection, on that connection's
/// receive loop, one at a time. The span is only valid during the call: the buffer is reused.
/// </summary>
public interface IEventSink
{
    void OnEvent(ReadOnlySpan<byte> packet);
}
