namespace Signaling.Tests.EngineIo;

/// <summary>
/// Base of the Engine.IO tests that each want a fresh echo host: started before every test,
/// and after it, checked for breaches of the handler contract and stopped.
/// </summary>
public abstract class EngineIoHostFixture(EngineIoEntry entry = EngineIoEntry.HttpPipeline)
{
    private EngineIoTestHost? _host;

    internal EngineIoTestHost Host => _host ?? throw new InvalidOperationException("The host is started in SetUp.");

    [SetUp]
    public async Task StartHostAsync() => _host = await EngineIoTestHost.StartAsync(entry: entry);

    [TearDown]
    public async Task StopHostAsync()
    {
        if (_host is null)
        {
            return;
        }
        Assert.That(_host.Handler.Violations, Is.Empty, "handler contract");
        await _host.DisposeAsync();
    }
}
