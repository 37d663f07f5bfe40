using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Server.Hosting;
using Signaling.Tests.Browser;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Turn;

/// <summary>
/// The TURN REST credentials the server hands out, checked by a real TURN server: Debian's coturn
/// on loopback with a shared secret. Calls between two Chromium pages of the page in web/, forced
/// through the relay by the server's <c>Server:IceTransportPolicy=relay</c>, connect with them and
/// fail when the server's secret is not coturn's; Chromium's allocations succeed with fresh
/// credentials and are refused with expired ones.
/// </summary>
[TestFixture]
[NonParallelizable] // Chromium pages decoding video: one at a time, as the other browser tests
public sealed class TurnRelayTests
{
    private const string Secret = "coturn-shared-secret-for-the-tests";

    private CoturnServer _coturn = null!;

    [OneTimeSetUp]
    public async Task StartCoturn() => _coturn = await CoturnServer.StartAsync(Secret);

    [OneTimeTearDown]
    public async Task StopCoturn()
    {
        if (_coturn is not null)
        {
            await _coturn.DisposeAsync();
        }
    }

    [Test]
    public async Task A_call_forced_through_the_relay_connects_with_the_handed_out_credentials()
    {
        await using var server = await StartServerAsync(Secret);

        var result = await BrowserScript.RunAsync(server, "browser-turn-call.js", "turn-relay", "--expect", "relay");

        var usernames = new[] { "alice", "bob" }
            .Select(p => (string?)result["peerConnections"]?[p]?["iceServers"]?.Last?["username"])
            .ToArray();
        Assert.That(usernames, Has.All.Match(@"^\d+:[A-Za-z0-9_-]{16}$"));
        Assert.That(_coturn.Output, Does.Contain(usernames[0]).And.Contain(usernames[1]),
            "coturn logged both pages' sessions under the usernames the server handed out");
    }

    [Test]
    public async Task A_call_forced_through_the_relay_fails_when_the_secret_is_not_the_turn_servers()
    {
        await using var server = await StartServerAsync("not-" + Secret);

        // The page gives a call 30 s to connect before it says it could not: give each step longer.
        await BrowserScript.RunAsync(server, "browser-turn-call.js", "turn-refused", "--expect", "refused", "--step-timeout-ms", "45000");
    }

    [Test]
    public async Task Fresh_credentials_get_a_relay_allocation()
    {
        var credentials = new TurnCredentials(Options(Secret, TimeSpan.FromMinutes(5)), TimeProvider.System);

        var outcome = await ProbeAsync(credentials.Issue());

        Assert.That(outcome["errors"], Is.Empty, outcome.ToString());
        Assert.That(outcome["relayCandidates"]!.Select(c => (string?)c["type"]), Is.Not.Empty.And.All.EqualTo("relay"), outcome.ToString());
    }

    [Test]
    public async Task Expired_credentials_are_refused()
    {
        // Issued two days ago for one hour: the expiry in the username is long past.
        var twoDaysAgo = new FixedTimeProvider(DateTimeOffset.UtcNow.AddDays(-2));
        var credentials = new TurnCredentials(Options(Secret, TimeSpan.FromHours(1)), twoDaysAgo);

        var outcome = await ProbeAsync(credentials.Issue());

        Assert.That(outcome["relayCandidates"], Is.Empty, outcome.ToString());
        Assert.That(outcome["errors"]!.Select(e => (int?)e["errorCode"]), Does.Contain(401), outcome.ToString());
    }

    private Task<InProcessServer> StartServerAsync(string secret) => InProcessServer.StartAsync([
        "serve", "--web-root", RepositoryLayout.WebRoot,
        $"--Turn:Urls:0={_coturn.Url}", $"--Turn:Secret={secret}",
        "--Server:IceTransportPolicy=relay",
    ]);

    private TurnOptions Options(string secret, TimeSpan ttl) => new() { Urls = [_coturn.Url], Secret = secret, Ttl = ttl };

    private static async Task<JObject> ProbeAsync(IceServerOptions iceServer)
    {
        await using var server = await InProcessServer.StartAsync(["serve", "--web-root", RepositoryLayout.WebRoot]);
        return await BrowserScript.RunAsync(server, "browser-turn-probe.js", "turn-probe",
            "--ice-servers", JsonConvert.SerializeObject(new[] { iceServer }));
    }
}
