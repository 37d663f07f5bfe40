using System.Security.Cryptography.X509Certificates;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Hosting;

/// <summary>
/// The program on <c>--urls https://…</c> with a PEM certificate and key from Kestrel's
/// configuration, as any ASP.NET Core app: the official 4.x client over https polling and wss,
/// and the page, with a self-signed certificate made for the test and given to the clients as
/// the authority to trust.
/// </summary>
[Parallelizable(ParallelScope.Self)]
[FixtureLifeCycle(LifeCycle.SingleInstance)]
public sealed class HttpsTests
{
    private TestCertificate _certificate = null!;
    private ServerProcess _server = null!;
    private Uri _url = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _certificate = new TestCertificate();
        (_server, _url) = await ServerProcess.StartWithUrlsAsync(null, [.. _certificate.Options, "--urls", "https://127.0.0.1:0"]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
    }

    [TestCase(TransportMode.Polling)]
    [TestCase(TransportMode.WebSocket)]
    [TestCase(TransportMode.PollingThenUpgrade)]
    public async Task The_official_client_connects_and_is_relayed_over_tls(TransportMode transport)
    {
        Assert.That(_url.Scheme, Is.EqualTo("https"));
        var options = new NodeClientOptions(ClientVersion.V4, transport) { CertificateAuthority = _certificate.Pem };
        await using var client = await NodeSocketClient.ConnectAsync(_url, options);
        if (transport == TransportMode.PollingThenUpgrade)
        {
            await client.NextWhileConnectedAsync(m => m.Type == "upgrade", "upgrade to websocket");
        }
        await client.EmitAsync("online", "Alice");
        var list = (JArray)(await client.NextEventAsync("online")).Args[0];
        Assert.That((string?)list[0]["name"], Is.EqualTo("Alice"));
    }

    [Test]
    public async Task A_client_that_does_not_trust_the_certificate_cannot_connect()
    {
        await using var client = NodeSocketClient.Start(_url, new NodeClientOptions(ClientVersion.V4, TransportMode.Polling));
        await client.OpenAsync();
        var outcome = await client.NextAsync(m => m.Type is "connected" or "connect_error", "connect outcome");
        Assert.That(outcome.Type, Is.EqualTo("connect_error"), outcome.ToString());
    }

    [Test]
    public async Task The_page_and_the_client_bundle_are_served_over_https()
    {
        using var handler = new HttpClientHandler
        {
            // The server must present the test's certificate, and nothing else.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == _certificate.Thumbprint,
        };
        using var http = new HttpClient(handler);
        Assert.That(await http.GetStringAsync(_url), Does.Contain("<html").IgnoreCase);
        Assert.That(await http.GetStringAsync(new Uri(_url, "socket.io/socket.io.js")), Does.Contain("Socket.IO"));
    }
}
