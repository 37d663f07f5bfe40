using Signaling.Tests.Hosting;
using Signaling.Tests.Infrastructure;
using Signaling.Tests.SocketIo;

namespace Signaling.Tests.Limits;

/// <summary>
/// <c>EngineIo:MaxConnectionsPerAddress</c>: every client here comes from 127.0.0.1. Past the cap
/// a handshake is refused (the official client gets a connect error), the connections held carry
/// on, and a slot given back by a closed connection is taken again. On Kestrel's transports (the
/// test host) and on WebSockets served from the socket (a server process).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ConnectionsPerAddressTests
{
    [TestCase(TransportMode.WebSocket)]
    [TestCase(TransportMode.Polling)]
    public async Task Handshakes_past_the_cap_are_refused_until_a_slot_is_free_on_kestrels_transports(TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync(engineIo: o => o.MaxConnectionsPerAddress = 2);
        var first = await host.ConnectAsync(ClientVersion.V4, TransportMode.WebSocket);
        await using var second = await NodeSocketClient.ConnectAsync(host.BaseUri, new NodeClientOptions(ClientVersion.V2, TransportMode.Polling));

        var refused = host.Start(ClientVersion.V4, transport);
        await refused.OpenAsync();
        await refused.NextAsync("connect_error");
        Assert.That(host.Engine.SessionCount, Is.EqualTo(2));
        await SocketIoTestHost.AssertEchoAsync(first, "a connection held carries on");

        await second.DisposeAsync();
        await Eventually.AssertAsync(() => host.Engine.SessionCount == 1, "the closed client's session removed", SocketIoTestHost.WaitLimit);
        await host.ConnectAsync(ClientVersion.V4, transport);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Handshakes_past_the_cap_are_refused_until_a_slot_is_free_on_websockets_served_from_the_socket(CancellationToken cancellationToken)
    {
        var (server, url) = await ServerProcess.StartAsync("--EngineIo:MaxConnectionsPerAddress=2");
        await using var stopServer = server;
        await using var first = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        var second = await NodeSocketClient.ConnectAsync(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));

        await using (var refused = NodeSocketClient.Start(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket)))
        {
            await refused.OpenAsync();
            await refused.NextAsync("connect_error");
        }
        await SlowConsumerTests.AssertRelayedAsync(first, second);

        await second.DisposeAsync();
        // The server notices the closed socket within moments; until then the slot is still taken.
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var again = NodeSocketClient.Start(url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
            await again.OpenAsync();
            var outcome = await again.NextAsync(m => m.Type is "connected" or "connect_error", "connect outcome");
            await again.DisposeAsync();
            if (outcome.Type == "connected")
            {
                break;
            }
        }
    }
}
