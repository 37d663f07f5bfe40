using Signaling.Server.Configuration;

namespace Signaling.Server.Hosting;

/// <summary>
/// The command (<c>serve</c>, <c>conformance</c>, <c>help</c>, <c>version</c>) and the options
/// that follow it, checked against the known keys and rewritten as <c>--key=value</c>, the form
/// ASP.NET's command-line configuration reads. A mistake is a <see cref="StartupException"/>
/// (exit code 2) naming the closest known command or option.
/// </summary>
public sealed record CommandLine(string Command, string[] ConfigurationArgs)
{
    public const string Serve = "serve";
    public const string Conformance = "conformance";
    public const string Help = "help";
    public const string Version = "version";

    private static readonly string[] Commands = [Serve, Conformance, Help, Version];

    /// <summary>The short switches and the configuration key each sets.</summary>
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--urls"] = "urls",
        ["--web-root"] = "Server:WebRoot",
        ["--log-level"] = "Serilog:MinimumLevel:Default",
    };

    private const string LogJsonSwitch = "--log-json";

    public static CommandLine Parse(string[] args)
    {
        if (args.Any(arg => arg is "-h" or "--help"))
        {
            return new CommandLine(Help, []);
        }
        if (args.Contains("--version"))
        {
            return new CommandLine(Version, []);
        }
        var command = Serve;
        var rest = args.AsSpan();
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            command = args[0];
            rest = rest[1..];
            if (!Commands.Contains(command))
            {
                throw Unknown("command", command, Commands, quote: true);
            }
        }
        var config = new List<string>();
        for (var i = 0; i < rest.Length; i++)
        {
            var arg = rest[i];
            if (arg == LogJsonSwitch)
            {
                config.Add("--Server:LogJson=true");
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new StartupException(StartupException.UsageError, $"unexpected argument '{arg}': options start with -- (e.g. --urls http://0.0.0.0:3000), and the command comes first");
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var key = Switches.GetValueOrDefault(name) ?? KnownKey(name);
            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < rest.Length && !rest[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = rest[++i];
            }
            else if (OptionsCatalog.Keys.TryFind(key, out var type) && type == typeof(bool))
            {
                // A bare boolean option switches it on.
                value = "true";
            }
            else
            {
                throw new StartupException(StartupException.UsageError, $"{name} needs a value (e.g. {name}=VALUE)");
            }
            config.Add($"--{key}={value}");
        }
        return new CommandLine(command, [.. config]);
    }

    /// <summary>The configuration key of <c>--Section:Key</c>, if the program knows it.</summary>
    private static string KnownKey(string name)
    {
        var key = name[2..];
        return OptionsCatalog.Keys.TryFind(key, out _)
            ? key
            : throw Unknown("option", name, [.. Switches.Keys, LogJsonSwitch, "--help", "--version", .. OptionsCatalog.Keys.ValueKeys().Select(k => "--" + k)], quote: false);
    }

    private static StartupException Unknown(string what, string typed, IEnumerable<string> known, bool quote)
    {
        string Show(string name) => quote ? $"'{name}'" : name;
        return new StartupException(StartupException.UsageError, $"unknown {what} {Show(typed)}; {Closest.Hint(what, typed, known, Show)}");
    }

    public const string HelpText = """
        WebRtcSignaling: a Socket.IO-compatible WebRTC signaling server.

        Usage: Signaling.Server [command] [options]

        Commands:
          serve          Run the signaling server and serve the video-chat page (default).
          conformance    Run the fixture of the Socket.IO and Engine.IO protocol compliance
                         test suites on http://localhost:3000 (pingInterval 300 ms,
                         pingTimeout 200 ms, connectTimeout 1000 ms, any CORS origin).
          help           Show this text (also -h, --help).
          version        Show the version (also --version).

        Options (each also settable in appsettings.json or as an environment variable,
        e.g. EngineIo__PingInterval=10s); written --key=value or --key value:
          --urls URLS                       Listen addresses, ;-separated (default http://localhost:3000);
                                            https:// needs a certificate (Kestrel:Certificates:Default:Path).
          --web-root DIR                    Serve DIR at / instead of the bundled page.   [Server:WebRoot]
          --log-json                        Log JSON lines instead of text.               [Server:LogJson]
          --log-level LEVEL                 Verbose|Debug|Information|Warning|Error|Fatal. [Serilog:MinimumLevel:Default]
          --Server:IceServers:0:Urls:0=URL  A STUN/TURN server for the page (stun:, turn: or turns:;
                                            also :Username, :Credential).
          --Server:IceTransportPolicy=all   all, or relay: the page sends every call through TURN.
          --Server:PathBase=/chat           Serve the page, its config and Engine.IO under /chat.
          --Turn:Urls:0=URL                 A TURN server that shares a secret with this one
          --Turn:Secret=SECRET              (coturn: use-auth-secret, static-auth-secret): each
          --Turn:Ttl=1d                     call gets credentials of its own, valid this long.
          --Server:ForwardedHeaders:KnownProxies:0=IP     Trust X-Forwarded-For/-Proto from this proxy
          --Server:ForwardedHeaders:KnownNetworks:0=CIDR  or from this network (e.g. 10.0.0.0/8).
          --Kestrel:Certificates:Default:Path=FILE        The HTTPS certificate (PEM or PFX),
          --Kestrel:Certificates:Default:KeyPath=FILE     its PEM key, or :Password for a PFX.
          --EngineIo:Path=/socket.io/       Endpoint path (under Server:PathBase).
          --EngineIo:PingInterval=25s       Heartbeat interval.
          --EngineIo:PingTimeout=20s        Time to wait for a heartbeat answer.
          --EngineIo:MaxHttpBufferSize=N    Largest message or polling body in bytes (1000000).
          --EngineIo:AllowEio3=true         Accept Engine.IO 3 clients (Socket.IO 1.x/2.x).
          --EngineIo:CorsOrigins:0=ORIGIN   Allowed cross-origin page ("*" for any).
          --EngineIo:CorsCredentials=false  Allow credentials on cross-origin requests.
          --EngineIo:MaxBufferedBytes=N     Most bytes held for a client that does not read
                                            them (1048576); past it: closed, "slow consumer".
          --EngineIo:MaxConnectionsPerAddress=N  Sessions one client address may hold (0: no limit).
          --SocketIo:ConnectTimeout=45s     Close connections that join no namespace by then.
          --SocketIo:MaxJsonDepth=32        Deepest JSON nesting accepted in a packet.
          --SocketIo:Recovery:Enabled=true  Connection state recovery on the relay: a 3.x/4.x
                                            socket whose transport drops stays (id, rooms,
                                            presence) and gets what it missed if it comes back.
          --SocketIo:Recovery:MaxDisconnectionDuration=2m  How long it may be away.
          --SocketIo:Recovery:SkipMiddlewares=true  A recovered socket skips connect middlewares.
          --SocketIo:Recovery:MaxBufferedPackets=1000  Events kept per socket for a replay;
          --SocketIo:Recovery:MaxBufferedBytes=1048576  and their size. An away socket that
                                            would need more ends at once.
          --SocketIo:RateLimit:PacketsPerSecond=100  Packets a second per connection (0: off).
          --SocketIo:RateLimit:PacketBurst=1000      Packets sent back to back.
          --SocketIo:RateLimit:BytesPerSecond=1048576  Bytes a second per connection (0: off).
          --SocketIo:RateLimit:ByteBurst=4194304     Bytes sent back to back. Past a limit events
                                            are refused; a debt of a burst closes the connection.
          --Signaling:PresenceCoalescing=5ms  Window in which presence changes are announced
                                            as one list (0: each at once).
          --Metrics:Enabled=true            Serve Prometheus text at /metrics.
          --Metrics:Urls=URLS               Serve /metrics (and /healthz, /readyz) on these
                                            addresses only, e.g. http://127.0.0.1:9464.
          --Redis:Configuration=HOST:PORT   Join a cluster on this Redis (unset: one node,
                                            in memory).
          --Redis:ChannelPrefix=socket.io   First part of every channel name.
          --Redis:Sharded=false             Sharded pub/sub (Redis 7) instead of classic.
          --Redis:SubscriptionMode=dynamic  Sharded: static, dynamic or dynamic-private, as
                                            the Node nodes' subscriptionMode.
          --Redis:RequestsTimeout=5s        How long requests to the other nodes wait.

        Durations take a unit (500ms, 25s, 2m, 1h, 1d) or hh:mm:ss (00:00:25).
        Exit codes: 0 stopped, 1 could not start (bad value, address in use, certificate),
        2 unknown command or option.
        """;
}
