using Signaling.Server.Configuration;
using Signaling.Server.Hosting;

namespace Signaling.Tests.Configuration;

public sealed class ConfigurationKeysTests
{
    [Test]
    public void The_catalog_knows_every_options_property_with_list_items_as_indexes()
    {
        var keys = OptionsCatalog.Keys.ValueKeys().ToList();
        Assert.That(keys, Does.Contain("Server:IceServers:0:Urls:0")
            .And.Contain("Server:IceServers:0:Credential")
            .And.Contain("Server:ForwardedHeaders:KnownNetworks:0")
            .And.Contain("EngineIo:Transports:0")
            .And.Contain("SocketIo:MaxAttachments")
            .And.Contain("Signaling:PresenceCoalescing")
            .And.Contain("urls"));
        Assert.That(keys, Has.None.Contains("AllowRequest"), "a delegate is not bound from configuration");
        Assert.That(keys, Has.None.Contains("WebRootPath")
            .And.No.EqualTo("Server:ForwardedHeaders:Enabled")
            .And.No.EqualTo("Turn:Enabled")
            .And.No.EqualTo("Redis:Enabled"), "get-only values are not bound");
        Assert.That(keys, Does.Contain("SocketIo:Recovery:Enabled").And.Contain("Metrics:Enabled"), "settable ones are");
    }

    [TestCase("server:iceservers:12:urls:3", typeof(string))]
    [TestCase("EngineIo:PingInterval", typeof(TimeSpan))]
    [TestCase("EngineIo:AllowEio3", typeof(bool))]
    [TestCase("Kestrel:Endpoints:Https:Url", null)]
    [TestCase("Serilog:MinimumLevel:Override:Microsoft", null)]
    public void Keys_are_found_case_insensitively_with_their_type(string key, Type? type)
    {
        Assert.That(OptionsCatalog.Keys.TryFind(key, out var found), Is.True);
        Assert.That(found, Is.EqualTo(type));
    }

    [TestCase("Server:IceServers:x:Urls:0")]
    [TestCase("EngineIo:PingInterval:0")]
    [TestCase("Nonsense")]
    public void Other_keys_are_unknown(string key) =>
        Assert.That(OptionsCatalog.Keys.TryFind(key, out _), Is.False);

    [Test]
    public void A_new_options_class_is_known_from_its_section_and_type_alone()
    {
        var keys = new ConfigurationKeys();
        keys.AddOptions("Limits", typeof(LimitsOptions));
        Assert.That(keys.ValueKeys(), Is.EquivalentTo(new[] { "Limits:Rate", "Limits:PerRoute:0:Burst", "Limits:ByName:0" }));
        Assert.That(keys.TryFind("Limits:ByName:anything", out var type) && type == typeof(int), Is.True, "dictionary keys are free");
        Assert.That(keys.TryFind("Limits:PerRoute", out _, out var isSection) && isSection, Is.True);
    }

    private sealed class LimitsOptions
    {
        public double Rate { get; set; }

        public List<RouteLimit> PerRoute { get; } = [];

        public Dictionary<string, int> ByName { get; set; } = [];
    }

    private sealed class RouteLimit
    {
        public int? Burst { get; set; }
    }
}
