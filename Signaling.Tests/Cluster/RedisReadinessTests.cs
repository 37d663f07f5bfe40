using System.Net;
using Signaling.Tests.Hosting;

namespace Signaling.Tests.Cluster;

/// <summary>
/// <c>/readyz</c> of a node of a cluster follows its Redis connection: 503 while a real redis-server is
/// killed, 200 again once it is back, while <c>/healthz</c> stays 200 throughout.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RedisReadinessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    [Test]
    public async Task Readyz_is_503_while_Redis_is_down_and_200_once_it_is_back()
    {
        await using var redis = await RedisServer.StartAsync();
        var (server, url) = await ServerProcess.StartAsync("serve", $"--Redis:Configuration={redis.Configuration}");
        await using var _ = server;
        using var http = new HttpClient();

        var body = await ReadinessAsync(http, url, HttpStatusCode.OK);
        Assert.That(body, Does.Contain("redis: Healthy (connected)").And.Contain("listening: Healthy"));

        await redis.KillAsync();
        body = await ReadinessAsync(http, url, HttpStatusCode.ServiceUnavailable);
        Assert.That(body, Does.Contain("redis: Unhealthy (disconnected").And.Contain("listening: Healthy"));
        Assert.That((await http.GetAsync(new Uri(url, "healthz"))).StatusCode, Is.EqualTo(HttpStatusCode.OK), "alive without Redis");

        await redis.RestartAsync();
        body = await ReadinessAsync(http, url, HttpStatusCode.OK);
        Assert.That(body, Does.Contain("redis: Healthy (connected)"));
    }

    /// <summary>Probes <c>/readyz</c> until it answers <paramref name="wanted"/>; its body then.</summary>
    private static async Task<string> ReadinessAsync(HttpClient http, Uri url, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            using var ready = await http.GetAsync(new Uri(url, "readyz"));
            var body = await ready.Content.ReadAsStringAsync();
            if (ready.StatusCode == wanted)
            {
                return body;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"/readyz was not {(int)wanted} within {Limit.TotalSeconds} s: {(int)ready.StatusCode} {body}");
            }
            await Task.Delay(100);
        }
    }
}
