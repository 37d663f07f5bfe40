using Signaling.Tests.Hosting;

namespace Signaling.Tests.Deploy;

/// <summary>
/// Two of our servers as separate processes, as behind a load balancer. They share nothing (no
/// cluster): a client sees only the users of its own node. Pings every second, so that a few
/// seconds of a test hold several polling cycles.
/// </summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    private readonly ServerProcess[] _processes;

    private TwoNodes(ServerProcess[] processes, Uri[] urls)
    {
        _processes = processes;
        Urls = urls;
    }

    public IReadOnlyList<Uri> Urls { get; }

    public string Output => string.Join("\n", _processes.Select((p, i) => $"--- node {i + 1} ({Urls[i]}):\n{p.Output}"));

    /// <param name="options">More of the server's options, for both nodes.</param>
    public static async Task<TwoNodes> StartAsync(params string[] options)
    {
        var started = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            ServerProcess.StartAsync(["serve", "--EngineIo:PingInterval=00:00:01", "--EngineIo:PingTimeout=00:00:10", .. options])));
        return new TwoNodes([.. started.Select(s => s.Process)], [.. started.Select(s => s.Url)]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }
}
