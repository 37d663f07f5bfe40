using Microsoft.Extensions.Configuration;
using Signaling.Server.EngineIo;

namespace Signaling.Tests.EngineIo;

public sealed class EngineIoOptionsTests
{
    [Test]
    public void Defaults_are_the_reference_servers()
    {
        var options = new EngineIoOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.Path, Is.EqualTo("/socket.io/"));
            Assert.That(options.PingInterval, Is.EqualTo(TimeSpan.FromSeconds(25)));
            Assert.That(options.PingTimeout, Is.EqualTo(TimeSpan.FromSeconds(20)));
            Assert.That(options.UpgradeTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.MaxHttpBufferSize, Is.EqualTo(1_000_000));
            Assert.That(options.AllowEio3, Is.True);
            Assert.That(options.Transports, Is.Null, "null: polling and websocket");
            Assert.That(options.AllowUpgrades, Is.True);
            Assert.That(options.CorsOrigins, Is.Empty);
            Assert.That(options.CorsCredentials, Is.False);
            Assert.That(options.AllowRequest, Is.Null);
        });
    }

    [Test]
    public void Options_bind_from_configuration_replacing_lists()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EngineIo:Path"] = "/engine.io/",
            ["EngineIo:PingInterval"] = "00:00:00.300",
            ["EngineIo:PingTimeout"] = "00:00:00.200",
            ["EngineIo:MaxHttpBufferSize"] = "1000",
            ["EngineIo:AllowEio3"] = "false",
            ["EngineIo:Transports:0"] = "websocket",
            ["EngineIo:CorsOrigins:0"] = "https://example.test",
            ["EngineIo:CorsCredentials"] = "true",
        }).Build();
        var options = new EngineIoOptions();
        configuration.GetSection("EngineIo").Bind(options);
        Assert.Multiple(() =>
        {
            Assert.That(options.Path, Is.EqualTo("/engine.io/"));
            Assert.That(options.PingInterval, Is.EqualTo(TimeSpan.FromMilliseconds(300)));
            Assert.That(options.PingTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(options.MaxHttpBufferSize, Is.EqualTo(1000));
            Assert.That(options.AllowEio3, Is.False);
            Assert.That(options.Transports, Is.EqualTo(new[] { "websocket" }));
            Assert.That(options.CorsOrigins, Is.EqualTo(new[] { "https://example.test" }));
            Assert.That(options.CorsCredentials, Is.True);
        });
    }
}
