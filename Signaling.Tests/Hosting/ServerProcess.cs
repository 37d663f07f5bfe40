using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Signaling.Tests.Hosting;

/// <summary>
/// The server as users run it: <c>dotnet Signaling.Server.dll …</c> in its own process, on a
/// loopback port the OS chose (read back from its "Now listening on" log line).
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<string> _errors = [];
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Found)> _lineWaiters = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(IEnumerable<string> arguments, int? openFilesLimit = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        // prlimit sets the limit on itself and then execs dotnet: the process id stays the server's.
        var start = new ProcessStartInfo(openFilesLimit is null ? "dotnet" : "prlimit")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (openFilesLimit is { } limit)
        {
            start.ArgumentList.Add(FormattableString.Invariant($"--nofile={limit}:{limit}"));
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Signaling.Server.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            OnLine(e.Data);
            if (e.Data is not null)
            {
                lock (_output)
                {
                    _errors.Add(e.Data);
                }
            }
        };
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"The server exited before listening:\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>What the server wrote to its standard error, line by line.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_output)
            {
                return [.. _errors];
            }
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the server with these arguments plus a loopback <c>--urls</c>, and waits until it listens.</summary>
    public static Task<(ServerProcess Process, Uri Url)> StartAsync(params string[] arguments) => StartAsync(null, arguments);

    /// <summary>
    /// As <see cref="StartAsync(string[])"/>, with the soft and hard limits on open files (RLIMIT_NOFILE)
    /// set to <paramref name="openFilesLimit"/> when not null.
    /// </summary>
    public static Task<(ServerProcess Process, Uri Url)> StartAsync(int? openFilesLimit, params string[] arguments) =>
        StartWithUrlsAsync(openFilesLimit, [.. arguments, "--urls", "http://127.0.0.1:0"]);

    /// <summary>Starts the server with exactly these arguments, which give its <c>--urls</c> (e.g. an https one), and waits until it listens.</summary>
    public static async Task<(ServerProcess Process, Uri Url)> StartWithUrlsAsync(int? openFilesLimit, params string[] arguments)
    {
        var server = new ServerProcess(arguments, openFilesLimit);
        try
        {
            return (server, await server._listening.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the program to completion, e.g. for <c>--help</c>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var (exitCode, output, _) = await RunWithErrorsAsync(null, arguments);
        return (exitCode, output);
    }

    /// <summary>Runs the program to completion with extra environment variables; also gives its standard error lines.</summary>
    public static async Task<(int ExitCode, string Output, IReadOnlyList<string> Errors)> RunWithErrorsAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        await using var server = new ServerProcess(arguments, environment: environment);
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (server.ExitCode, server.Output, server.Errors);
    }

    /// <summary>The first log line, written so far or to come, that contains <paramref name="text"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan? limit = null)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Split('\n').FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } written)
            {
                return written.TrimEnd();
            }
            _lineWaiters.Add((line => line.Contains(text, StringComparison.Ordinal), found));
        }
        try
        {
            return await found.Task.WaitAsync(limit ?? TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No log line with '{text}' within {(limit ?? TimeSpan.FromSeconds(15)).TotalSeconds} s:\n{Output}");
        }
    }

    public async Task WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Sends SIGTERM, as a service manager does to stop the service.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var waiter in _lineWaiters.Where(w => w.Matches(line)).ToList())
            {
                _lineWaiters.Remove(waiter);
                waiter.Found.TrySetResult(line);
            }
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            var address = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
            _listening.TrySetResult(new Uri(address + "/"));
        }
    }

    // Text logs print the address in the message; JSON logs carry it as the "address" property.
    [GeneratedRegex(@"Now listening on: (https?://[^\s""]+)|""address"":""(https?://[^""]+)""")]
    private static partial Regex ListeningLine();
}
