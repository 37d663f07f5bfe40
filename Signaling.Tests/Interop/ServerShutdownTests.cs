using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Interop;

/// <summary>A server that stops closes its connections: clients of every generation learn at once, not by a timeout.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ServerShutdownTests
{
    private static readonly string[] ActiveCloseReasons = ["transport close", "transport error", "io server disconnect"];

    public static IEnumerable<TestCaseData> Cases() =>
        from version in Enum.GetValues<ClientVersion>()
        from transport in new[] { TransportMode.Polling, TransportMode.WebSocket }
        select new TestCaseData(version, transport).SetArgDisplayNames($"{(int)version}.x", transport.ToString());

    [TestCaseSource(nameof(Cases))]
    public async Task Stopping_the_server_disconnects_its_clients(ClientVersion version, TransportMode transport)
    {
        // A server of its own, stopped as soon as the client is connected (or failed to connect).
        var server = await ServerUnderTest.StartAsync();
        NodeSocketClient client;
        try
        {
            client = await NodeSocketClient.ConnectAsync(server.BaseUrl, new NodeClientOptions(version, transport));
        }
        finally
        {
            await server.DisposeAsync();
        }

        await using (client)
        {
            var disconnect = await client.NextAsync("disconnect");
            Assert.That(ActiveCloseReasons, Does.Contain(disconnect.Reason), "the client should see the server close, not time out");
        }
    }
}
