using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Browser;

/// <summary>
/// The calls that cannot happen, in headless Chromium pages of the page in web/ through the server
/// (js/browser-call-failures.js): each test checks the exact message each person is shown and that
/// both pages can call again afterwards. Screenshots are attached to each test.
/// </summary>
[TestFixture]
[NonParallelizable] // each test runs Chromium with two or three pages; one at a time is plenty
public sealed class BrowserCallFailureTests
{
    [Test]
    public async Task CallingSomeoneInACallTellsTheCallerTheyAreBusyAndLeavesTheirCallAlone()
    {
        await RunCaseAsync("busy");
    }

    [Test]
    public async Task ACameraTheBrowserDeniesCancelsTheCallWithAMessageOnBothSides()
    {
        var result = await RunCaseAsync("camera-denied");

        // The browser really refused: the (fake) devices are there, nothing was granted.
        var media = result["bobMedia"]!;
        Assert.Multiple(() =>
        {
            Assert.That(media["devices"]!.Values<string>(), Does.Contain("videoinput").And.Contain("audioinput"), "Bob's browser has a camera and a microphone");
            Assert.That(media.Value<string>("camera"), Is.Not.EqualTo("granted"), "Bob's browser did not grant the camera");
            Assert.That(media.Value<string>("microphone"), Is.Not.EqualTo("granted"), "Bob's browser did not grant the microphone");
        });
    }

    [Test]
    public async Task NoCameraOrMicrophoneCancelsTheCallWithAMessageOnBothSides()
    {
        var result = await RunCaseAsync("camera-missing");

        // Nothing is missing but the devices: the browser grants without asking.
        var media = result["bobMedia"]!;
        Assert.Multiple(() =>
        {
            Assert.That(media["devices"]!.Values<string>(), Does.Not.Contain("videoinput").And.Not.Contain("audioinput"), "Bob's browser has no camera and no microphone");
            Assert.That(media.Value<string>("camera"), Is.EqualTo("granted"), "Bob's browser grants the camera");
        });
    }

    [Test]
    public async Task APeerClosingThePageEndsTheCallWithAMessage()
    {
        await RunCaseAsync("peer-leaves");
    }

    [Test]
    public async Task APeerWhosePageCrashesEndsTheCallWithAMessage()
    {
        await RunCaseAsync("peer-crashes");
    }

    private static Task<JObject> RunCaseAsync(string name) =>
        BrowserScript.RunAsync("browser-call-failures.js", name, "--case", name);
}
