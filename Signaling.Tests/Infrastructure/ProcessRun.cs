using System.Diagnostics;
using System.Text;

namespace Signaling.Tests.Infrastructure;

/// <summary>The outcome of running a program to completion.</summary>
public sealed record ProcessRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Runs <c>node script args…</c> in the script's folder.</summary>
    public static Task<ProcessRun> RunNodeAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("node", [script, .. arguments], Path.GetDirectoryName(script)!, cancellationToken);

    /// <summary>
    /// Runs a program, with <paramref name="environment"/> added to its environment; kills it and
    /// everything it started when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public static async Task<ProcessRun> RunAsync(
        string program, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Scripts start browsers and servers: take the whole tree down, not just the program.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        // WaitForExitAsync returns once the output streams are drained too.
        lock (stdout)
        lock (stderr)
        {
            return new ProcessRun(process.ExitCode, stdout.ToString(), stderr.ToString());
        }
    }
}
