using Signaling.Server.Cluster;
using Signaling.Server.Configuration;
using Signaling.Server.Diagnostics;
using Signaling.Server.EngineIo;
using Signaling.Server.Signaling;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Hosting;

/// <summary>
/// The program's options classes and the framework keys it accepts: what the command line and
/// the configuration are checked against at start (unknown keys refused, values parsed and validated).
/// </summary>
internal static class OptionsCatalog
{
    /// <summary>Each options class with the section it binds from: one line here makes a new class's keys known and its rules checked.</summary>
    public static readonly IReadOnlyList<(string Section, Type Type)> Sections =
    [
        (ServerOptions.Section, typeof(ServerOptions)),
        (EngineIoOptions.Section, typeof(EngineIoOptions)),
        (SocketIoOptions.Section, typeof(SocketIoOptions)),
        (SignalingOptions.Section, typeof(SignalingOptions)),
        (MetricsOptions.Section, typeof(MetricsOptions)),
        (RedisOptions.Section, typeof(RedisOptions)),
        (TurnOptions.Section, typeof(TurnOptions)),
    ];

    /// <summary>Keys the host reads itself (listen addresses, environment, host filtering).</summary>
    private static readonly string[] HostKeys = ["urls", "environment", "http_ports", "https_ports", "AllowedHosts"];

    /// <summary>Sections of the framework, each with more keys than are worth listing: accepted unchecked.</summary>
    private static readonly string[] FrameworkSections = ["Kestrel", "Serilog", "Logging"];

    public static ConfigurationKeys Keys { get; } = Build();

    private static ConfigurationKeys Build()
    {
        var keys = new ConfigurationKeys();
        foreach (var (section, type) in Sections)
        {
            keys.AddOptions(section, type);
        }
        foreach (var key in HostKeys)
        {
            keys.AddValue(key, typeof(string));
        }
        foreach (var section in FrameworkSections)
        {
            keys.AddOpenSection(section);
        }
        return keys;
    }
}
