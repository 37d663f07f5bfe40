using System.Globalization;

namespace Signaling.LoadGen;

/// <summary>
/// Reads the server process's CPU time and resident memory from /proc, so its cost is measured
/// from the outside the same way for both servers.
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
}
