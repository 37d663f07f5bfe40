using System.Diagnostics;
using System.Text;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// A Node.js script from <see cref="RepositoryLayout.TestScripts"/> run as a child process that talks in
/// lines: commands to its stdin, reports from its stdout, stderr kept for failure messages.
/// Disposing closes stdin (the scripts exit on that), and kills the process if it lingers.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private Task _stdoutPump = Task.CompletedTask;
    private int _listening;
    private int _disposed;

    private NodeProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>A label for messages: the script and the process id.</summary>
    public string Description { get; private init; } = "";

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The operating system's id of the process, for signals (<see cref="ProcessSignals"/>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Waits for the process to end by itself (after a signal, say).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>The exit code once the process has ended, otherwise null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Starts the script; its stdout waits, unread, for <see cref="Listen"/>.</summary>
    public static NodeProcess Start(string script, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryLayout.TestScripts,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // No byte-order mark: node would see it as the start of the first JSON command.
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start node {script}");
        process.StandardInput.NewLine = "\n";
        return new NodeProcess(process) { Description = $"node {script} (pid {process.Id})" };
    }

    /// <summary>Starts reading stdout. Separate from <see cref="Start"/> so the owner is fully built before its callbacks run.</summary>
    /// <param name="onLine">Called for each stdout line, in order, on one background task.</param>
    /// <param name="onExited">Called once after the last line, when the process has exited.</param>
    public void Listen(Action<string> onLine, Action onExited)
    {
        if (Interlocked.Exchange(ref _listening, 1) != 0)
        {
            throw new InvalidOperationException($"{Description} is already being listened to.");
        }

        _stdoutPump = Task.Run(() => PumpStdoutAsync(onLine, onExited));
    }

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new IOException($"{Description} no longer reads its input (exit code {ExitCode}); stderr:\n{StandardError}", e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writeGate.WaitAsync();
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone: nothing to tell it.
        }
        finally
        {
            _writeGate.Release();
        }

        using (var grace = new CancellationTokenSource(ExitGrace))
        {
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        await _stdoutPump;
        _process.Dispose();
        _writeGate.Dispose();
    }

    private async Task PumpStdoutAsync(Action<string> onLine, Action onExited)
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                onLine(line);
            }
        }
        finally
        {
            // Let the exit code and the rest of stderr arrive before telling the owner.
            await _process.WaitForExitAsync();
            onExited();
        }
    }
}
