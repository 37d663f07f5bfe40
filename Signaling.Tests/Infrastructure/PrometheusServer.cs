using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// Debian's Prometheus server, started by a test on a free loopback port with its own config and
/// storage in a temporary folder, scraping the given targets every second; stopped by its pid.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new();

    private PrometheusServer(Process process, string folder, Uri url)
    {
        _process = process;
        _folder = folder;
        Url = url;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Url { get; }

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

    /// <summary>Starts Prometheus scraping <paramref name="targets"/> (host:port) at <c>/metrics</c> and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(params string[] targets)
    {
        var folder = Directory.CreateTempSubdirectory("signaling-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: signaling
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        var url = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--config.file={config}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(folder, "data")}");
        start.ArgumentList.Add($"--web.listen-address={url.Authority}");
        var server = new PrometheusServer(Process.Start(start)!, folder, url);
        try
        {
            await server.WaitUntilReadyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Evaluates an instant PromQL query: the value of each series it returns.</summary>
    public async Task<IReadOnlyList<double>> QueryAsync(string promQl)
    {
        var answer = JObject.Parse(await _http.GetStringAsync(new Uri(Url, $"api/v1/query?query={Uri.EscapeDataString(promQl)}")));
        if ((string?)answer["status"] != "success")
        {
            throw new InvalidOperationException($"Prometheus refused '{promQl}': {answer}");
        }
        return [.. answer["data"]!["result"]!.Select(series => double.Parse((string)series["value"]![1]!, CultureInfo.InvariantCulture))];
    }

    /// <summary>Queries until one series has <paramref name="expected"/> (scrapes come every second), or fails with what it saw.</summary>
    public async Task WaitForValueAsync(string promQl, double expected, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        IReadOnlyList<double> seen = [];
        while (DateTime.UtcNow < deadline)
        {
            seen = await QueryAsync(promQl);
            if (seen.Contains(expected))
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        var targets = await _http.GetStringAsync(new Uri(Url, "api/v1/targets"));
        throw new TimeoutException($"'{promQl}' was [{string.Join(", ", seen)}], not {expected}, within {limit.TotalSeconds} s.\ntargets: {targets}\nprometheus:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            // Its own pid only: SIGTERM, then SIGKILL if it lingers.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A port that was free a moment ago (Prometheus takes an address, not a listening socket).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Prometheus exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var ready = await _http.GetAsync(new Uri(Url, "-/ready"));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        throw new TimeoutException($"Prometheus was not ready within {StartLimit.TotalSeconds} s:\n{Output}");
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
}
