using Newtonsoft.Json.Linq;
using Signaling.Tests.Hosting;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Turn;

/// <summary>/signaling/config of a server with a TURN secret: fresh credentials per request, beside the static servers.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class TurnConfigEndpointTests
{
    private const string Secret = "do-not-print-me-7f3a9c";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static readonly string[] TurnServe =
    [
        "serve",
        "--Server:IceServers:0:Urls:0=stun:stun.example.org:3478",
        "--Turn:Urls:0=turn:turn.example.org:3478?transport=udp",
        "--Turn:Urls:1=turns:turn.example.org:5349?transport=tcp",
        $"--Turn:Secret={Secret}",
        "--Turn:Ttl=00:10:00",
    ];

    [Test]
    public async Task Every_request_gets_credentials_of_its_own_that_expire_after_the_ttl()
    {
        await using var server = await InProcessServer.StartAsync(TurnServe);

        var before = DateTimeOffset.UtcNow;
        var first = await GetConfigAsync(server.BaseUrl);
        var second = await GetConfigAsync(server.BaseUrl);
        var after = DateTimeOffset.UtcNow;

        foreach (var config in new[] { first, second })
        {
            var servers = (JArray)config["iceServers"]!;
            Assert.That(servers, Has.Count.EqualTo(2));
            Assert.That(servers[0].ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("""{"urls":["stun:stun.example.org:3478"]}"""), "the static server stays");
            Assert.That(servers[1]["urls"]!.Values<string>(), Is.EqualTo(new[] { "turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349?transport=tcp" }));
            var expiry = long.Parse(((string)servers[1]["username"]!).Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(expiry, Is.InRange(before.AddMinutes(10).ToUnixTimeSeconds(), after.AddMinutes(10).ToUnixTimeSeconds()));
            Assert.That((string?)servers[1]["credential"], Is.Not.Empty);
            Assert.That((string?)config["iceTransportPolicy"], Is.EqualTo("all"));
        }
        Assert.That(second["iceServers"]![1]!["username"], Is.Not.EqualTo(first["iceServers"]![1]!["username"]));
        Assert.That(second["iceServers"]![1]!["credential"], Is.Not.EqualTo(first["iceServers"]![1]!["credential"]));
    }

    [Test]
    public async Task The_configuration_is_never_stored_by_caches()
    {
        await using var server = await InProcessServer.StartAsync(TurnServe);

        using var response = await Http.GetAsync(new Uri(server.BaseUrl, "signaling/config"));

        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task The_transport_policy_relay_is_handed_to_the_page()
    {
        await using var server = await InProcessServer.StartAsync([.. TurnServe, "--Server:IceTransportPolicy=relay"]);

        Assert.That((string?)(await GetConfigAsync(server.BaseUrl))["iceTransportPolicy"], Is.EqualTo("relay"));
    }

    [Test]
    public void An_unknown_transport_policy_is_a_startup_error()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => InProcessServer.StartAsync(["serve", "--Server:IceTransportPolicy=direct"]));

        Assert.That(error!.Message, Is.EqualTo("Server:IceTransportPolicy is 'direct'; use 'all' or 'relay'."));
    }

    [Test]
    public void A_turn_url_without_a_secret_is_a_startup_error()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => InProcessServer.StartAsync(["serve", "--Turn:Urls:0=turn:turn.example.org"]));

        Assert.That(error!.Message, Does.Contain("Turn:Secret is empty"));
    }

    [Test]
    public async Task The_secret_never_reaches_the_log()
    {
        var (process, url) = await ServerProcess.StartAsync([.. TurnServe, "--log-level", "Verbose"]);
        await using (process)
        {
            Assert.That((string?)(await GetConfigAsync(url))["iceServers"]![1]!["credential"], Is.Not.Empty);
            // Stopped and gone, it has written all it will.
            process.Terminate();
            await process.WaitForExitAsync(TimeSpan.FromSeconds(20));

            Assert.That(process.Output, Does.Contain("Now listening on"), "the log was captured");
            Assert.That(process.Output, Does.Not.Contain(Secret));
        }
    }

    private static async Task<JObject> GetConfigAsync(Uri baseUrl) =>
        JObject.Parse(await Http.GetStringAsync(new Uri(baseUrl, "signaling/config")));
}
