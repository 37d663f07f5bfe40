using System.Buffers;

namespace Signaling.Protocol.MsgPack;

/// <summary>
/// A buffer kept per thread for encoding a message whose bytes are then copied out once, at their exact
/// size: every cross-node relay encodes one, and a fresh growing writer costs several arrays instead.
/// Rent and give back in pairs; a nested rent gets a buffer of its own.
/// </summary>
internal static class EncodingBuffer
{
    // A buffer grown past this by one huge message is not kept.
    private const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_kept;

    public static ArrayBufferWriter<byte> Rent()
    {
        ArrayBufferWriter<byte> buffer = t_kept ?? new ArrayBufferWriter<byte>(1024);
        t_kept = null;
        buffer.ResetWrittenCount();
        return buffer;
    }

    /// <summary>The bytes written, copied; the buffer goes back to the thread.</summary>
    public static byte[] CopyAndReturn(ArrayBufferWriter<byte> buffer)
    {
        byte[] bytes = buffer.WrittenSpan.ToArray();
        Return(buffer);
        return bytes;
    }

    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= MaxKeptCapacity)
        {
            t_kept = buffer;
        }
    }
}
