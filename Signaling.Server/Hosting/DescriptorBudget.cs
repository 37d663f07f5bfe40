using System.Globalization;
using System.Net.Sockets;

namespace Signaling.Server.Hosting;

/// <summary>
/// The process's open-files limit and the few descriptors kept back from connections. Every
/// connection is a descriptor; when the table is full, the .NET runtime itself can no longer
/// start a thread or load an assembly, and it aborts the process ("Out of memory."). So the
/// listener stops taking connections while fewer than <see cref="Reserve"/> descriptors are free.
/// Linux only (read from /proc); elsewhere there is no budget and nothing is refused.
/// </summary>
public sealed class DescriptorBudget
{
    /// <summary>
    /// Descriptors left free for the runtime: a new thread-pool thread briefly needs three (a pipe
    /// and a /proc read), an assembly loaded late one or two, a log file one.
    /// </summary>
    public const int Reserve = 32;

    private DescriptorBudget(long limit)
    {
        Limit = limit;
    }

    /// <summary>The soft limit on open files (RLIMIT_NOFILE), which .NET raises to the hard limit at start.</summary>
    public long Limit { get; }

    /// <summary>The budget of this process, or null where there is no /proc or the limit is unlimited.</summary>
    public static DescriptorBudget? OfCurrentProcess()
    {
        const string limits = "/proc/self/limits";
        if (!File.Exists(limits))
        {
            return null;
        }

        // "Max open files            1024                 524288               files"
        var line = File.ReadLines(limits).FirstOrDefault(text => text.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 0 } && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft)
            ? new DescriptorBudget(soft)
            : null;
    }

    /// <summary>Descriptors open now (the entries of /proc/self/fd).</summary>
    public static int OpenNow() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    /// <summary>
    /// Whether taking this freshly accepted socket leaves fewer than <see cref="Reserve"/>
    /// descriptors free. Linux hands out the lowest free descriptor, so a socket numbered n means
    /// every descriptor below n is in use: the check costs nothing and needs no count of its own.
    /// </summary>
    public bool LeavesTooFew(Socket accepted) => accepted.SafeHandle.DangerousGetHandle() >= Limit - Reserve;
}
