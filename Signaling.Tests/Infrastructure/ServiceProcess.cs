using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// A server program the tests run beside ours (nginx, HAProxy, coturn) in the foreground, with its
/// output kept for failure messages. Ready once it accepts TCP connections on its port; stopped by
/// its process id (SIGTERM, then SIGKILL after a grace period).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private DirectoryInfo? _folder;

    private ServiceProcess(string program, IEnumerable<string> arguments, string workingDirectory)
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
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Description = $"{Path.GetFileName(program)} (pid {_process.Id})";
    }

    public string Description { get; }

    /// <summary>The service's own folder, when it was started with <see cref="StartInFolderAsync"/>.</summary>
    public string Folder => _folder?.FullName ?? throw new InvalidOperationException($"{Description} has no folder of its own.");

    public int Id => _process.Id;

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

    /// <summary>Starts <paramref name="program"/> and waits until it accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<ServiceProcess> StartAsync(string program, IEnumerable<string> arguments, int port, string? workingDirectory = null)
    {
        var service = new ServiceProcess(program, arguments, workingDirectory ?? Path.GetTempPath());
        try
        {
            await service.WaitUntilAcceptingAsync(port);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a service in a temporary folder of its own (for its configuration, logs, pid file),
    /// deleted once the service has stopped: <paramref name="prepare"/> writes into the folder and
    /// names the program, its arguments and the port to wait for.
    /// </summary>
    public static async Task<ServiceProcess> StartInFolderAsync(string name, Func<string, Task<(string Program, string[] Arguments, int Port)>> prepare)
    {
        var folder = Directory.CreateTempSubdirectory($"signaling-{name}-");
        try
        {
            var (program, arguments, port) = await prepare(folder.FullName);
            var service = await StartAsync(program, arguments, port, folder.FullName);
            service._folder = folder;
            return service;
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Sends SIGTERM and waits up to <paramref name="grace"/> for the exit; past that, kills it and
    /// throws. Returns the exit code.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
                throw new TimeoutException($"{Description} did not exit within {grace.TotalSeconds} s of SIGTERM:\n{Output}");
            }
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(StopGrace);
        }
        catch (TimeoutException)
        {
            // Killed instead: a service that lingers is no reason to fail the test that used it.
        }
        _process.Dispose();
        _folder?.Delete(recursive: true);
    }

    public override string ToString() => Description;

    private async Task WaitUntilAcceptingAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Description} exited with code {_process.ExitCode} before listening on port {port}:\n{Output}");
            }
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                return;
            }
            catch (SocketException) when (deadline.Elapsed < StartTimeout)
            {
                // Not listening yet: nothing tells from outside when it will, so look again shortly.
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"{Description} did not listen on port {port} within {StartTimeout.TotalSeconds} s ({e.Message}):\n{Output}");
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
