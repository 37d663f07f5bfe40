using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>
/// Two Node cluster nodes on their own redis-server, a 4.x client on the second one (online as "bee") and a
/// MONITOR of everything they publish: the setting of the wire capture tests.
/// </summary>
public sealed class NodeClusterCapture : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly List<IAsyncDisposable> _started = [];

    private NodeClusterCapture()
    {
    }

    public RedisServer Redis { get; private set; } = null!;

    /// <summary>The node the tests run operations on.</summary>
    public NodeClusterNode A { get; private set; } = null!;

    /// <summary>The node that answers, with one socket.</summary>
    public NodeClusterNode B { get; private set; } = null!;

    public NodeSocketClient ClientOnB { get; private set; } = null!;

    public RedisMonitor Monitor { get; private set; } = null!;

    public static async Task<NodeClusterCapture> StartAsync(ClusterAdapterMode mode)
    {
        var capture = new NodeClusterCapture();
        try
        {
            capture.Redis = capture.Started(await RedisServer.StartAsync());
            var options = new NodeClusterNodeOptions(mode);
            capture.A = capture.Started(await NodeClusterNode.StartAsync(capture.Redis, options));
            capture.B = capture.Started(await NodeClusterNode.StartAsync(capture.Redis, options));
            capture.ClientOnB = capture.Started(await NodeSocketClient.ConnectAsync(
                capture.B.BaseUrl, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket)));
            await capture.ClientOnB.EmitAsync("online", "bee");
            await capture.ClientOnB.NextEventAsync("online");
            capture.Monitor = capture.Started(await RedisMonitor.StartAsync(capture.Redis));
            return capture;
        }
        catch
        {
            await capture.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="operation"/> and returns the first publication after it that passes <paramref name="match"/>.</summary>
    public async Task<RedisMonitor.Publication> CaptureAsync(Func<Task> operation, Func<RedisMonitor.Publication, bool> match)
    {
        Monitor.Clear();
        await operation();
        return await NextAsync(match);
    }

    public Task<RedisMonitor.Publication> NextAsync(Func<RedisMonitor.Publication, bool> match) => Monitor.NextAsync(match, Wait);

    public static void AssertSameBytes(byte[] ours, RedisMonitor.Publication published) =>
        Assert.That(Convert.ToHexStringLower(ours), Is.EqualTo(Convert.ToHexStringLower(published.Payload)), $"re-encoding {published}");

    public async ValueTask DisposeAsync()
    {
        _started.Reverse();
        await new AsyncDisposables(_started).DisposeAsync();
    }

    private T Started<T>(T item)
        where T : IAsyncDisposable
    {
        _started.Add(item);
        return item;
    }
}
