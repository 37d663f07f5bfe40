using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Hosting;

/// <summary>
/// The log of a real server process as an operator reads it: who came online from where, who
/// went offline, each call's request, acceptance and end, dated timestamps; SDP and candidates
/// only at Verbose. Client addresses come from X-Forwarded-For only when its sender is a
/// configured proxy, for polling (Kestrel's pipeline) and WebSockets served from the socket alike.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed partial class OperatorLogTests
{
    private const string Sdp = "v=0 o=- 4611731400430051336 2 IN IP4 127.0.0.1 s=-";
    private const string Candidate = "candidate:842163049 1 udp 1677729535 198.51.100.9 3478 typ srflx";

    [Test]
    public async Task At_information_a_call_is_a_few_lines_without_its_sdp_or_candidates()
    {
        var (server, url) = await ServerProcess.StartAsync();
        await using var _ = server;
        var (alice, bob) = await CallAndHangUpAsync(server, url);

        Assert.That(await server.WaitForLineAsync($"{alice} is online as Alice from 127.0.0.1"), Does.Match(DatedInformation()));
        await server.WaitForLineAsync($"{bob} is online as Bob from 127.0.0.1 (2 online)");
        await server.WaitForLineAsync($"Call: {alice} calls {bob}");
        await server.WaitForLineAsync($"Call: {bob} is ready to talk to {alice}");
        await server.WaitForLineAsync($"Call: {alice} hung up on {bob}");
        await server.WaitForLineAsync($"{bob} (Bob) went offline (1 online)");
        Assert.That(server.Output, Does.Not.Contain("v=0").And.Not.Contain("candidate:"), "no SDP or candidate at Information");
    }

    [Test]
    public async Task Sdp_and_candidates_appear_at_verbose_and_not_at_debug()
    {
        var (debug, debugUrl) = await ServerProcess.StartAsync("--log-level", "Debug");
        await using (debug)
        {
            await CallAndHangUpAsync(debug, debugUrl);
            Assert.That(debug.Output, Does.Not.Contain("v=0").And.Not.Contain("candidate:"), "no SDP or candidate at Debug");
        }

        var (verbose, verboseUrl) = await ServerProcess.StartAsync("--log-level", "Verbose");
        await using (verbose)
        {
            await CallAndHangUpAsync(verbose, verboseUrl);
            await verbose.WaitForLineAsync(Sdp);
            await verbose.WaitForLineAsync(Candidate);
        }
    }

    [TestCase(TransportMode.Polling)]
    [TestCase(TransportMode.WebSocket)]
    public async Task A_trusted_proxy_gives_the_clients_address(TransportMode transport)
    {
        var (server, url) = await ServerProcess.StartAsync("--Server:ForwardedHeaders:KnownProxies:0=127.0.0.1");
        await using var _ = server;
        var id = await GoOnlineBehindProxyAsync(url, transport);
        await server.WaitForLineAsync($"{id} is online as Alice from 203.0.113.7");
    }

    [TestCase(TransportMode.Polling, new string[0])]
    [TestCase(TransportMode.WebSocket, new string[0])]
    [TestCase(TransportMode.WebSocket, new[] { "--Server:ForwardedHeaders:KnownNetworks:0=10.0.0.0/8" })]
    public async Task Forwarded_headers_from_anyone_else_are_ignored(TransportMode transport, string[] options)
    {
        var (server, url) = await ServerProcess.StartAsync(options);
        await using var _ = server;
        var id = await GoOnlineBehindProxyAsync(url, transport);
        await server.WaitForLineAsync($"{id} is online as Alice from 127.0.0.1");
    }

    /// <summary>Alice calls Bob, they exchange an offer and a candidate, Alice hangs up and Bob leaves; returns their ids.</summary>
    private static async Task<(string Alice, string Bob)> CallAndHangUpAsync(ServerProcess server, Uri url)
    {
        await using var alice = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        var bob = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.Polling));
        var ids = (alice.Id!, bob.Id!);
        try
        {
            await alice.EmitAsync("online", "Alice");
            await alice.NextEventAsync("online");
            await bob.EmitAsync("online", "Bob");
            await bob.NextEventAsync("online");
            await alice.EmitAsync("request chat", bob.Id);
            await bob.NextEventAsync("request chat");
            await bob.EmitAsync("stream ok", alice.Id);
            await alice.NextEventAsync("stream ok");
            await alice.EmitAsync("offer", bob.Id, new JObject { ["type"] = "offer", ["sdp"] = Sdp });
            await bob.NextEventAsync("offer");
            await bob.EmitAsync("candidate", alice.Id, new JObject { ["candidate"] = Candidate });
            await alice.NextEventAsync("candidate");
            await alice.EmitAsync("hangup", bob.Id);
            await bob.NextEventAsync("hangup");
        }
        finally
        {
            await bob.DisposeAsync();
        }
        await server.WaitForLineAsync($"{ids.Item2} (Bob) went offline");
        return ids;
    }

    private static async Task<string> GoOnlineBehindProxyAsync(Uri url, TransportMode transport)
    {
        var options = new NodeClientOptions(ClientVersion.V4, transport)
        {
            ExtraHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.7" },
        };
        await using var client = await NodeSocketClient.ConnectAsync(url, options);
        await client.EmitAsync("online", "Alice");
        await client.NextEventAsync("online");
        return client.Id!;
    }

    [GeneratedRegex(@"^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{2}:\d{2} INF\] ")]
    private static partial Regex DatedInformation();
}
