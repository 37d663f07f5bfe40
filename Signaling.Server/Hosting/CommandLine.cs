namespace Signaling.Server.Hosting;

/// <summary>
/// The command (<c>serve</c>, <c>conformance</c>, <c>help</c>) and the configuration switches
/// that follow it, rewritten into the form ASP.NET's command-line configuration reads.
/// </summary>
public sealed record CommandLine(string Command, string[] ConfigurationArgs)
{
    public const string Serve = "serve";
    public const string Conformance = "conformance";
    public const string Help = "help";

    public const string HelpText = """
        WebRtcSignaling: a Socket.IO-compatible WebRTC signaling server.

        Usage: Signaling.Server [command] [options]

        Commands:
          serve          Run the signaling server and serve the video-chat page (default).
          conformance    Run the fixture of the Socket.IO and Engine.IO protocol compliance
                         test suites on http://localhost:3000 (pingInterval 300 ms,
                         pingTimeout 200 ms, connectTimeout 1000 ms, any CORS origin).
          help           Show this text (also -h, --help).

        Options (each also settable in appsettings.json or as an environment variable,
        e.g. EngineIo__PingInterval=00:00:10):
          --urls URLS                       Listen addresses (default http://localhost:3000).
          --web-root DIR                    Serve DIR at / instead of the bundled page.   [Server:WebRoot]
          --log-json                        Log JSON lines instead of text.               [Server:LogJson]
          --log-level LEVEL                 Verbose|Debug|Information|Warning|Error.  [Serilog:MinimumLevel:Default]
          --Server:IceServers:0:Urls:0=URL  A STUN/TURN server for the page (also :Username, :Credential).
          --EngineIo:Path=/socket.io/       Endpoint path.
          --EngineIo:PingInterval=00:00:25  Heartbeat interval.
          --EngineIo:PingTimeout=00:00:20   Time to wait for a heartbeat answer.
          --EngineIo:MaxHttpBufferSize=N    Largest message or polling body in bytes (1000000).
          --EngineIo:AllowEio3=true         Accept Engine.IO 3 clients (Socket.IO 1.x/2.x).
          --EngineIo:CorsOrigins:0=ORIGIN   Allowed cross-origin page ("*" for any).
          --EngineIo:CorsCredentials=false  Allow credentials on cross-origin requests.
          --SocketIo:ConnectTimeout=00:00:45  Close connections that join no namespace by then.
          --SocketIo:MaxJsonDepth=32        Deepest JSON nesting accepted in a packet.
          --Signaling:PresenceCoalescing=00:00:00.005  Window in which presence changes
                                            are announced as one list (0: each at once).
          --Redis:Configuration=HOST:PORT   Join a cluster on this Redis (unset: one node,
                                            in memory).
          --Redis:ChannelPrefix=socket.io   First part of every channel name.
          --Redis:Sharded=false             Sharded pub/sub (Redis 7) instead of classic.
          --Redis:RequestsTimeout=00:00:05  How long requests to the other nodes wait.
        """;

    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--web-root"] = "--Server:WebRoot",
        ["--log-level"] = "--Serilog:MinimumLevel:Default",
    };

    public static CommandLine Parse(string[] args)
    {
        var command = Serve;
        var rest = args.AsEnumerable();
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            command = args[0];
            rest = args.Skip(1);
        }
        var config = new List<string>();
        foreach (var arg in rest)
        {
            if (arg is "-h" or "--help")
            {
                command = Help;
            }
            else if (arg == "--log-json")
            {
                config.Add("--Server:LogJson=true");
            }
            else
            {
                config.Add(Switches.GetValueOrDefault(arg, arg));
            }
        }
        return new CommandLine(command, [.. config]);
    }
}
