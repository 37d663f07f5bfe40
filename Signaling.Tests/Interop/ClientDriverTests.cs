using System.Net;
using System.Net.Sockets;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Interop;

/// <summary>The harness itself: a client that cannot connect is reported as such at once, in every generation.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ClientDriverTests
{
    [TestCase(ClientVersion.V1)]
    [TestCase(ClientVersion.V2)]
    [TestCase(ClientVersion.V3)]
    [TestCase(ClientVersion.V4)]
    public void Connecting_to_a_port_nobody_listens_on_fails_with_connect_error(ClientVersion version)
    {
        var nobody = new Uri($"http://127.0.0.1:{UnusedPort()}/");

        var failure = Assert.ThrowsAsync<InvalidOperationException>(
            () => NodeSocketClient.ConnectAsync(nobody, new NodeClientOptions(version, TransportMode.Polling)));

        Assert.That(failure!.Message, Does.Contain("\"connect_error\""));
    }

    // A port the OS just handed out and took back: nothing listens there for the moment.
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
