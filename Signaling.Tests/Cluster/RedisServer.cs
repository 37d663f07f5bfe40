using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>
/// Debian's redis-server (7.x, for sharded pub/sub) on a free loopback port, without persistence, in a
/// temporary directory; stopped by its process id. <see cref="KillAsync"/> and <see cref="RestartAsync"/> take it
/// down hard and bring it back on the same port, for the tests of "Redis down".
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>For StackExchange.Redis and node-redis: <c>127.0.0.1:port</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>The running server's process id; null while killed.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>What redis-server printed, for failure messages.</summary>
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

    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken = default)
    {
        // Another process can take the port between our probe and redis-server's bind: try a few.
        for (int attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreePort(), Directory.CreateTempSubdirectory("redis-test-").FullName);
            try
            {
                await server.LaunchAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>SIGKILL: clients see their connections reset, as when the Redis machine dies.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            ProcessSignals.Kill(process.Id);
            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Starts it again on the same port, empty (no persistence).</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) =>
        _process is null ? LaunchAsync(cancellationToken) : throw new InvalidOperationException("redis-server is still running");

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            ProcessSignals.Terminate(process.Id);
            using var grace = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                ProcessSignals.Kill(process.Id);
                await process.WaitForExitAsync();
            }

            process.Dispose();
            _process = null;
        }

        Directory.Delete(_directory, recursive: true);
    }

    public override string ToString() => $"redis-server on port {Port} (pid {ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})";

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
                 {
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", _directory, "--daemonize", "no", "--loglevel", "warning",
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start redis-server");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                _process = null;
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} on port {Port}:\n{Output}");
            }

            try
            {
                await using var client = await RedisClient.ConnectAsync(Port, timeout.Token);
                if (await client.CommandAsync("PING") is "PONG")
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or EndOfStreamException && !timeout.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
