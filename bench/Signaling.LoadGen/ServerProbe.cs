using System.Globalization;

namespace Signaling.LoadGen;

/// <summary>
/// Reads the server processes' CPU time, resident memory and file descriptors from /proc, so their
/// cost and their room are measured from the outside the same way for both servers. A cluster has
/// several server processes (its nodes), whose CPU time and memory are summed, and the Redis they
/// share, whose CPU time is read apart.
/// </summary>
/// <param name="pids">The server's processes; none when the generator is not told them.</param>
/// <param name="redisPid">The cluster's redis-server, if any.</param>
public sealed class ServerProbe(IReadOnlyList<int> pids, int? redisPid = null)
{
    // USER_HZ, the unit of /proc/<pid>/stat times, is 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public ServerProbe(int pid)
        : this([pid])
    {
    }

    public bool Available => pids.Count > 0;

    /// <summary>utime and stime of every thread of every server process, living or gone.</summary>
    public CpuTimes? CpuTime() =>
        pids.Count == 0 ? null : pids.Select(CpuTimeOf).Aggregate((sum, times) => sum + times);

    /// <summary>The same for the cluster's Redis; null without one.</summary>
    public CpuTimes? RedisCpuTime() => redisPid is { } pid ? CpuTimeOf(pid) : null;

    /// <summary>Fields 14 and 15 of /proc/&lt;pid&gt;/stat.</summary>
    private static CpuTimes CpuTimeOf(int pid)
    {
        var stat = Read(pid, "stat");
        // The command name in parentheses may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new CpuTimes(Seconds(fields[11]), Seconds(fields[12]));
    }

    private static string Read(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"the server process {pid} is gone", exception);
        }
    }

    /// <summary>The one server process, for figures about a process's own limits; null when none is known.</summary>
    private int? Single => pids.Count switch
    {
        0 => null,
        1 => pids[0],
        _ => throw new InvalidOperationException("descriptor figures are for one server process, not a cluster"),
    };

    private static TimeSpan Seconds(string ticks) =>
        TimeSpan.FromSeconds(long.Parse(ticks, CultureInfo.InvariantCulture) / TicksPerSecond);

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in KiB, summed over the server processes.</summary>
    public long? ResidentKib() => pids.Count == 0 ? null : pids.Sum(ResidentKibOf);

    private static long ResidentKibOf(int pid)
    {
        foreach (var line in Read(pid, "status").Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidDataException($"no VmRSS in /proc/{pid}/status");
    }

    /// <summary>Descriptors the server has open now (the entries of /proc/&lt;pid&gt;/fd).</summary>
    public int? OpenDescriptors()
    {
        if (Single is not { } pid)
        {
            return null;
        }

        try
        {
            return Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        }
        catch (DirectoryNotFoundException exception)
        {
            throw new InvalidOperationException($"the server process {pid} is gone", exception);
        }
    }

    /// <summary>
    /// Sockets among the server's descriptors: unlike <see cref="OpenDescriptors"/>, not moved by
    /// the files a runtime opens when it first loads some code.
    /// </summary>
    public int? OpenSockets()
    {
        if (Single is not { } pid)
        {
            return null;
        }

        var sockets = 0;
        foreach (var entry in Directory.GetFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(entry).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                {
                    sockets++;
                }
            }
            catch (IOException)
            {
                // Closed since the listing.
            }
        }

        return sockets;
    }

    /// <summary>The server's soft limit on open files, from /proc/&lt;pid&gt;/limits; null when unlimited.</summary>
    public long? OpenFilesLimit()
    {
        if (Single is not { } pid)
        {
            return null;
        }

        // "Max open files            1024                 524288               files"
        const string name = "Max open files";
        var line = Read(pid, "limits").Split('\n').FirstOrDefault(text => text.StartsWith(name, StringComparison.Ordinal))
            ?? throw new InvalidDataException($"no '{name}' in /proc/{pid}/limits");
        var soft = line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft == "unlimited" ? null : long.Parse(soft, CultureInfo.InvariantCulture);
    }
}
