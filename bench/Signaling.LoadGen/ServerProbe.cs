using System.Globalization;

namespace Signaling.LoadGen;

/// <summary>
/// Reads the server process's CPU time, resident memory and file descriptors from /proc, so its
/// cost and its room are measured from the outside the same way for both servers.
/// </summary>
public sealed class ServerProbe(int? pid)
{
    // USER_HZ, the unit of /proc/<pid>/stat times, is 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public bool Available => pid is not null;

    /// <summary>utime and stime of every thread, living or gone (fields 14 and 15 of /proc/&lt;pid&gt;/stat).</summary>
    public CpuTimes? CpuTime()
    {
        if (pid is null)
        {
            return null;
        }

        var stat = Read($"/proc/{pid}/stat");
        // The command name in parentheses may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new CpuTimes(Seconds(fields[11]), Seconds(fields[12]));
    }

    private string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidOperationException($"the server process {pid} is gone", exception);
        }
    }

    private static TimeSpan Seconds(string ticks) =>
        TimeSpan.FromSeconds(long.Parse(ticks, CultureInfo.InvariantCulture) / TicksPerSecond);

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in KiB.</summary>
    public long? ResidentKib()
    {
        if (pid is null)
        {
            return null;
        }

        foreach (var line in Read($"/proc/{pid}/status").Split('\n'))
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
        if (pid is null)
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
        if (pid is null)
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
        if (pid is null)
        {
            return null;
        }

        // "Max open files            1024                 524288               files"
        const string name = "Max open files";
        var line = Read($"/proc/{pid}/limits").Split('\n').FirstOrDefault(text => text.StartsWith(name, StringComparison.Ordinal))
            ?? throw new InvalidDataException($"no '{name}' in /proc/{pid}/limits");
        var soft = line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft == "unlimited" ? null : long.Parse(soft, CultureInfo.InvariantCulture);
    }
}
