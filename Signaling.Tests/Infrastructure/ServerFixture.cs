using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// Base of a test fixture that shares one server under test (see <see cref="ServerUnderTest"/>)
/// between all its tests, started once before them and stopped after.
/// </summary>
public abstract class ServerFixture
{
    private IServerUnderTest? _server;

    protected IServerUnderTest Server =>
        _server ?? throw new InvalidOperationException("The server is started in OneTimeSetUp.");

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await ServerUnderTest.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [TearDown]
    public void ReportServerDiagnosticsOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed
            && _server is { Diagnostics.Length: > 0 } server)
        {
            TestContext.Out.WriteLine($"{server} reported:\n{server.Diagnostics}");
        }
    }

    /// <summary>
    /// An official client connected to <paramref name="ns"/> of the shared server, on its final
    /// transport: in <see cref="TransportMode.PollingThenUpgrade"/> it returns once the upgrade is
    /// done. Content then crosses one transport only, which matters for non-ASCII text from 1.x
    /// clients: engine.io-client 1.x UTF-8-encodes text polling payloads a second time, and the
    /// reference server keeps those bytes as they came, so such text echoes back intact over
    /// polling or WebSocket alone but mangled when it arrives by polling and leaves by WebSocket.
    /// Traffic during the upgrade itself is tested on its own, in ASCII.
    /// </summary>
    protected async Task<NodeSocketClient> ConnectAsync(ClientVersion version, TransportMode transport, string ns = "/", JObject? auth = null)
    {
        var client = await NodeSocketClient.ConnectAsync(Server.BaseUrl, new NodeClientOptions(version, transport) { Namespace = ns, Auth = auth });
        try
        {
            if (transport == TransportMode.PollingThenUpgrade)
            {
                await client.NextWhileConnectedAsync(m => m.Type == "upgrade", "upgrade");
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
