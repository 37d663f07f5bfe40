using System.Globalization;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Hosting;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Browser;

/// <summary>
/// What a person sees and hears around a call on the page in web/ (js/browser-page.js, one case
/// per test): the rings and overlays, cancel, mute and camera off as the other side receives
/// them, busy people and same names in the list, a 375 px screen, the plain-HTTP notice, a call
/// that goes on while one page's signaling connection is cut and comes back, or while the server
/// restarts; and
/// (js/browser-call.js) whole calls with the page under a sub-path and with another EngineIo:Path.
/// Screenshots are attached to each test.
/// </summary>
[TestFixture]
[NonParallelizable] // each test runs browsers with several pages decoding video; one at a time is plenty
public sealed class BrowserPageTests
{
    private static string Version1Client => BrowserCallTests.Version1Client;

    [Test]
    public async Task RingsOverlaysCancelMuteAndCameraOffBetweenTwoChromiumPages()
    {
        var result = await RunCaseAsync("call-features");
        Assert.That(result["rings"]?["bob"]?.Value<double>("peak"), Is.GreaterThan(0.02), "Bob's ring was heard");
    }

    [Test]
    public async Task RingsOverlaysCancelMuteAndCameraOffWithAFirefoxCallee()
    {
        // Debian's firefox-esr, driven over WebDriver BiDi by puppeteer-core, as in BrowserCallTests.
        await RunCaseAsync("call-features", "call-features-firefox", "--firefox-b", "/usr/bin/firefox-esr");
    }

    [Test]
    public async Task BusyPeopleAreShownAndTwoPeopleWithOneNameAreToldApart()
    {
        await RunCaseAsync("busy-names");
    }

    [Test]
    public async Task OnA375PixelScreenTheVideoAndControlsStayOnScreenAndTheListScrolls()
    {
        await RunCaseAsync("narrow");
    }

    [Test]
    public async Task ACallGoesOnWhileOnePagesSignalingConnectionIsCutAndRecovers()
    {
        // The served 4.x client and the server's connection state recovery: Bob keeps his id.
        var result = await RunCaseAsync("signaling-cut", "signaling-cut-recovered", "--expect-recovery", "yes");
        Assert.That(result["after"]?.Value<string>("bobId"), Is.EqualTo(result["before"]?.Value<string>("bobId")));
    }

    [Test]
    public async Task ACallGoesOnWhileOnePagesSignalingConnectionIsCutAndComesBackUnderANewId()
    {
        // The 1.x client cannot recover: Bob's page tells Alice's its new id over the data channel.
        var result = await RunCaseAsync("signaling-cut", "signaling-cut-new-id", "--expect-recovery", "no", "--client-override-b", Version1Client);
        Assert.That(result["restarted"]?.Value<string>("remote"), Is.Not.EqualTo(result["before"]?["ufrags"]?.Value<string>("remote")),
            "the ICE restart after the reconnect gave Alice new ICE credentials from Bob");
    }

    [Test]
    public async Task ACallGoesOnWhileTheServerRestarts()
    {
        // A process of its own, on a port fixed in advance: the pages reconnect to the same address.
        string[] arguments = ["serve", "--web-root", RepositoryLayout.WebRoot, "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}"];
        var (first, url) = await ServerProcess.StartWithUrlsAsync(null, arguments);
        await using var firstServer = first;
        var run = BrowserScript.RunAsync(new RunningServer(url), "browser-page.js", "server-restart",
            "--case", "server-restart", "--server-pid", first.Id.ToString(CultureInfo.InvariantCulture));

        // The script stops the first server once the call is up; the new one starts when it has gone.
        if (await Task.WhenAny(run, first.WaitForExitAsync(TimeSpan.FromMinutes(2))) == run)
        {
            await run;
            Assert.Fail("The script ended without stopping the server.");
        }
        Assert.That(first.ExitCode, Is.Zero, "the first server stopped gracefully on SIGTERM");
        var (second, _) = await ServerProcess.StartWithUrlsAsync(null, arguments);
        await using var secondServer = second;

        var result = await run;
        Assert.That(result["after"]?.Value<string>("bobId"), Is.Not.EqualTo(result["before"]?.Value<string>("bobId")));
    }

    [Test]
    public async Task APageOpenedOverPlainHttpFromAnotherNameSaysWhyCallsCannotStart()
    {
        await RunCaseAsync("insecure");
    }

    [Test]
    public async Task ACallWorksWithThePageUnderAPathBase()
    {
        await BrowserScript.RunOnOursAsync("browser-call.js", "path-base", ["--Server:PathBase=/chat"], "chat/",
            "--engine-path", "/chat/socket.io/");
    }

    [Test]
    public async Task ACallWorksWithAnotherEngineIoPathAndTheVersion1Client()
    {
        var result = await BrowserScript.RunOnOursAsync("browser-call.js", "engine-path", ["--EngineIo:Path=/rtc/"], "",
            "--engine-path", "/rtc/", "--client-override-b", Version1Client);
        Assert.That(result["engine"]?["bob"]?["eio"]?.Values<string>(), Is.EqualTo(new[] { "3" }), "Bob's page ran the 1.x client");
    }

    private static Task<JObject> RunCaseAsync(string name) => RunCaseAsync(name, name);

    /// <summary>A server the test runs as a process of its own, for <see cref="BrowserScript"/>.</summary>
    private sealed class RunningServer(Uri url) : IServerUnderTest
    {
        public string Name => "ours";

        public Uri BaseUrl => url;

        public string Diagnostics => "";

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static Task<JObject> RunCaseAsync(string name, string label, params string[] options) =>
        BrowserScript.RunAsync("browser-page.js", label, ["--case", name, .. options]);
}
