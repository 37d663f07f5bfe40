using System.Text;

namespace Signaling.Protocol;

/// <summary>
/// One builder kept per thread for the texts written on the relay's hot path (encoded packets, events
/// heard from other nodes): rent, write, give back. A builder grown past <see cref="MaxKeptCapacity"/>
/// by one huge packet is dropped, so it does not pin memory; a nested rent gets a builder of its own.
/// </summary>
internal static class StringBuilderCache
{
    private const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_kept;

    public static StringBuilder Rent()
    {
        StringBuilder builder = t_kept ?? new StringBuilder(256);
        t_kept = null;
        return builder;
    }

    public static void Return(StringBuilder builder)
    {
        if (builder.Capacity <= MaxKeptCapacity)
        {
            builder.Clear();
            t_kept = builder;
        }
    }
}
