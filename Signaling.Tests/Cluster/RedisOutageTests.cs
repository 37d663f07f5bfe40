using System.Diagnostics;
using Signaling.Server.Diagnostics;
using Signaling.Tests.Infrastructure;
using Signaling.Tests.SocketIo;
using Signaling.Tests.SocketIo.Adapters;

namespace Signaling.Tests.Cluster;

/// <summary>
/// Redis killed under two nodes and started again: each node's own traffic never stops, what
/// could not be published is counted, and cross-node traffic flows again within 5 s of Redis returning.
/// </summary>
[TestFixture(false, TestName = "Classic")]
[TestFixture(true, TestName = "Sharded")]
[Parallelizable(ParallelScope.All)]
public sealed class RedisOutageTests(bool sharded)
{
    [Test]
    public async Task Local_traffic_goes_on_while_Redis_is_down_and_cluster_traffic_resumes_when_it_is_back()
    {
        await using var redis = await RedisServer.StartAsync();
        var (first, firstRedis) = await RedisAdapterTests.StartNodeAsync(redis.Configuration, sharded);
        var (second, secondRedis) = await RedisAdapterTests.StartNodeAsync(redis.Configuration, sharded);
        await using var cluster = new AdapterCluster(first, second, firstRedis, secondRedis);
        var (local, _) = await AdapterCluster.ConnectAsync(first, ClientVersion.V4);
        var (remote, _) = await AdapterCluster.ConnectAsync(second, ClientVersion.V2);
        first.Io.Sockets.Emit("news", "before");
        Assert.That((string?)(await remote.NextEventAsync("news")).Args[0], Is.EqualTo("before"));
        Assert.That((string?)(await local.NextEventAsync("news")).Args[0], Is.EqualTo("before"));

        await redis.KillAsync();
        await WaitUntilAsync(() => !firstRedis.IsConnected && !secondRedis.IsConnected, TimeSpan.FromSeconds(10), "both nodes see Redis gone");
        var failed = Volatile.Read(ref ServerMetrics.ClusterPublishFailed);
        first.Io.Sockets.Emit("news", "during");
        Assert.That((string?)(await local.NextEventAsync("news")).Args[0], Is.EqualTo("during"), "this node's own clients are served");
        Assert.That(Volatile.Read(ref ServerMetrics.ClusterPublishFailed), Is.GreaterThan(failed), "the lost publish is counted");
        await SocketIoTestHost.AssertEchoAsync(local, "still served");

        await redis.RestartAsync();
        var back = Stopwatch.StartNew();
        var tries = 0;
        while (true)
        {
            first.Io.Sockets.Emit("news", $"after {tries++}");
            try
            {
                var got = (string?)(await remote.NextEventAsync("news", TimeSpan.FromMilliseconds(250))).Args[0];
                Assert.That(got, Does.StartWith("after"), "nothing from the outage arrives late");
                break;
            }
            catch (TimeoutException) when (back.Elapsed < TimeSpan.FromSeconds(5))
            {
                // Not back yet: send another.
            }
        }
        TestContext.Out.WriteLine($"Cross-node traffic flowed again {back.ElapsedMilliseconds} ms after Redis was restarted");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {limit.TotalSeconds} s: {what}");
            }
            await Task.Delay(20);
        }
    }
}
