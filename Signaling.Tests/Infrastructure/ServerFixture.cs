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

    /// <summary>An official client connected to <paramref name="ns"/> of the shared server.</summary>
    protected Task<NodeSocketClient> ConnectAsync(ClientVersion version, TransportMode transport, string ns = "/", JObject? auth = null) =>
        NodeSocketClient.ConnectAsync(Server.BaseUrl, new NodeClientOptions(version, transport) { Namespace = ns, Auth = auth });
}
