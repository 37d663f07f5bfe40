using Signaling.Tests.Infrastructure;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Browser;

/// <summary>
/// Two headless browser pages (Chromium, and Firefox for one test) open the page in web/ from the
/// server, go online, and call each other (js/browser-call.js): one call is declined, the next must show live video on both sides,
/// the hang-up must bring both back to idle, and a page leaving must update the other's list.
/// Screenshots of both pages are attached to each test.
/// </summary>
[TestFixture]
[NonParallelizable] // each test runs a Chromium with two pages decoding video; one at a time is plenty
public sealed class BrowserCallTests
{
    /// <summary>The official 1.x browser client, served to a page in place of the served 4.x one.</summary>
    internal static string Version1Client =>
        Path.Combine(RepositoryLayout.TestScripts, "node_modules", "socket.io-client-1", "dist", "socket.io.js");

    [Test]
    public async Task TwoPagesCallEachOtherWithTheServedClient()
    {
        var result = await RunCallAsync("served-client");

        Assert.That(EngineIoVersions(result, "alice"), Is.EqualTo(EngineIoVersions(result, "bob")),
            "both pages load the same served client, so they speak the same Engine.IO protocol");
    }

    [Test]
    public async Task TwoPagesCallEachOtherWithTheVersion1Client()
    {
        var result = await RunCallAsync("client-1x", "--client-override", Version1Client);

        Assert.Multiple(() =>
        {
            Assert.That(EngineIoVersions(result, "alice"), Is.EqualTo(new[] { "3" }), "Alice's page ran the 1.x client");
            Assert.That(EngineIoVersions(result, "bob"), Is.EqualTo(new[] { "3" }), "Bob's page ran the 1.x client");
        });
    }

    [Test]
    public async Task AChromiumPageCallsAFirefoxPage()
    {
        // Debian's firefox-esr, driven over WebDriver BiDi by puppeteer-core (the install script puts it there).
        var result = await RunCallAsync("chromium-to-firefox", "--firefox-b", "/usr/bin/firefox-esr");

        Assert.That(EngineIoVersions(result, "bob"), Is.EqualTo(new[] { "4" }), "Bob's Firefox page ran the served 4.x client");
    }

    [Test]
    public async Task APageWithTheVersion1ClientCallsAPageWithTheServedClient()
    {
        var result = await RunCallAsync("client-1x-to-served", "--client-override-a", Version1Client);

        Assert.That(EngineIoVersions(result, "alice"), Is.EqualTo(new[] { "3" }), "Alice's page ran the 1.x client");
    }

    private static Task<JObject> RunCallAsync(string label, params string[] options) =>
        BrowserScript.RunAsync("browser-call.js", label, options);

    private static string[] EngineIoVersions(JObject result, string page) =>
        result["engine"]?[page]?["eio"]?.Values<string>().OfType<string>().ToArray() ?? [];
}
