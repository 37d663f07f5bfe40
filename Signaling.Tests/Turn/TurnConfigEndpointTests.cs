using Newtonsoft.Json.Linq;
using Signaling.Server.Hosting;
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

    [TestCase("--Server:IceTransportPolicy=direct", "Server:IceTransportPolicy=direct must be all or relay")]
    [TestCase("--Turn:Urls:0=turn:t.example.org", "Turn:Secret= must be the TURN server's static-auth-secret when Turn:Urls is set")]
    [TestCase("--Turn:Urls:0=stun:t.example.org --Turn:Secret=s", "Turn:Urls:0=stun:t.example.org is not a TURN URL: use turn:HOST[:PORT] or turns:HOST[:PORT]")]
    [TestCase("--Turn:Urls:0=turn:t.example.org --Turn:Secret=s --Turn:Ttl=0s", "Turn:Ttl=0s must be between 1m and 30d")]
    public void Options_that_cannot_work_are_start_up_errors(string arguments, string error)
    {
        var failure = Assert.ThrowsAsync<StartupException>(() => InProcessServer.StartAsync(["serve", .. arguments.Split(' ')]));

        Assert.That(failure!.Errors, Is.EqualTo(new[] { error }));
    }

    [Test]
    public void A_secret_without_a_turn_server_is_a_start_up_error_that_does_not_quote_the_secret()
    {
        var failure = Assert.ThrowsAsync<StartupException>(() => InProcessServer.StartAsync(["serve", $"--Turn:Secret={Secret}"]));

        Assert.That(failure!.Errors, Is.EqualTo(new[] { "Turn:Urls= must name the TURN server (Turn:Urls:0=turn:HOST:PORT) when Turn:Secret is set" }));
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
