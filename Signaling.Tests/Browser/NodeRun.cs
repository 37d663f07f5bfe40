using System.Diagnostics;
using System.Text;

namespace Signaling.Tests.Browser;

/// <summary>The outcome of running a Node.js script to completion.</summary>
internal sealed record NodeRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Runs <c>node script args…</c> in the script's folder; kills it when <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<NodeRun> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetDirectoryName(script)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
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
            // The script drives a browser: take the whole tree down, not just node.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        // WaitForExitAsync returns once the output streams are drained too.
        lock (stdout)
        lock (stderr)
        {
            return new NodeRun(process.ExitCode, stdout.ToString(), stderr.ToString());
        }
    }
}
