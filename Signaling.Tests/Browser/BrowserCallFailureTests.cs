using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Browser;

/// <summary>
/// The calls that cannot happen, in headless Chromium pages of the page in web/ through the server
/// (js/browser-call-failures.js, one case per test): the script checks the exact message and
/// status each person is shown, that nothing of the failed call is left on either page, and that
/// both can call again. Screenshots are attached to each test.
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
        // Bob's Chromium has (fake) devices but no fake permission prompt, and grants nothing.
        await RunCaseAsync("camera-denied");
    }

    [Test]
    public async Task NoCameraOrMicrophoneCancelsTheCallWithAMessageOnBothSides()
    {
        // Bob's Chromium has no fake devices, and the machine's sound server is hidden from it.
        await RunCaseAsync("camera-missing");
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

    [Test]
    public async Task CallingSomeoneWhoJustLeftEndsTheCallWithTheClearMessage()
    {
        var result = await RunCaseAsync("peer-left-unseen");

        // What the server sent Alice's page while it was held back: the list without Bob, then
        // its answer to the call. Only Socket.IO events count (a ping may come along).
        var events = result["heldForAlice"]!.Values<string>()
            .OfType<string>()
            .Where(m => m.StartsWith("42", StringComparison.Ordinal))
            .Select(m => JArray.Parse(m[2..]))
            .ToArray();
        // Alice's page says it is busy as it places the call, so a second list (Alice, busy) may
        // come before the answer; none of them has Bob.
        Assert.That(events, Has.Length.InRange(2, 3), string.Join('\n', events.Select(e => e.ToString())));
        Assert.Multiple(() =>
        {
            foreach (var list in events[..^1])
            {
                Assert.That(list[0]!.Value<string>(), Is.EqualTo("online"));
                Assert.That(list[1]!.Select(p => p.Value<string>("name")), Is.EqualTo(new[] { "Alice" }), "the list no longer has Bob");
            }
            Assert.That(events[^1][0]!.Value<string>(), Is.EqualTo("signaling error"));
            Assert.That(events[^1][1]!.Value<string>("event"), Is.EqualTo("request chat"));
            Assert.That(events[^1][1]!.Value<string>("reason"), Is.EqualTo("unknown-target"));
        });
    }

    private static Task<JObject> RunCaseAsync(string name) =>
        BrowserScript.RunAsync("browser-call-failures.js", name, "--case", name);
}
