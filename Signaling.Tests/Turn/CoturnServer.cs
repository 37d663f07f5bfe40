using System.Globalization;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Turn;

/// <summary>
/// Debian's coturn (<c>turnserver</c>) on a free loopback port, checking TURN REST credentials
/// against a shared secret (<c>use-auth-secret</c>), relaying on loopback only, without TLS, and
/// reading no system configuration. Stopped by its process id.
/// </summary>
internal sealed class CoturnServer(ServiceProcess process, int port) : IAsyncDisposable
{
    public const string Realm = "signaling.test";

    public int Port { get; } = port;

    /// <summary>The URL to hand to browsers: TURN over UDP, as a call's media would normally use.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"turn:127.0.0.1:{Port}?transport=udp");

    /// <summary>What coturn logged (allocations, refused credentials).</summary>
    public string Output => process.Output;

    public static async Task<CoturnServer> StartAsync(string secret)
    {
        var port = LoopbackPorts.Free(udpToo: true);
        // Relay ports below Linux's ephemeral range (32768 and up), where the port-0 sockets of
        // the other tests are; a random block so that two runs at once rarely share one.
        var minRelayPort = 20000 + (Random.Shared.Next(0, 60) * 200);
        var process = await ServiceProcess.StartInFolderAsync("coturn", async folder =>
        {
            var emptyConfig = Path.Combine(folder, "turnserver.conf");
            await File.WriteAllTextAsync(emptyConfig, "");
            string[] arguments =
            [
                "-c", emptyConfig,
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", string.Create(CultureInfo.InvariantCulture, $"--listening-port={port}"),
                "--use-auth-secret", $"--static-auth-secret={secret}", $"--realm={Realm}",
                "--no-tls", "--no-dtls", "--allow-loopback-peers", "--no-cli",
                string.Create(CultureInfo.InvariantCulture, $"--min-port={minRelayPort}"), string.Create(CultureInfo.InvariantCulture, $"--max-port={minRelayPort + 199}"),
                "--log-file=stdout", "--simple-log", "--verbose",
                $"--pidfile={Path.Combine(folder, "turnserver.pid")}",
                $"--userdb={Path.Combine(folder, "turndb")}",
            ];
            return ("turnserver", arguments, port);
        });
        return new CoturnServer(process, port);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
