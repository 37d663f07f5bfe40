using System.Net;
using System.Net.Sockets;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Hosting;

/// <summary>
/// Mistakes at start, run as users run the program: each is one line on standard error, exit
/// code 2 for an unknown command or option, 1 for a value or a start the server refuses, and
/// never a stack trace; the forms the README gives still start.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class StartupErrorTests
{
    private const string Loopback = "http://127.0.0.1:0";
    private const string DurationForms = "use a number with a unit (500ms, 25s, 2m, 1h, 1d) or hh:mm:ss (00:00:25)";

    [TestCase(new[] { "frobnicate" }, "unknown command 'frobnicate'; the closest known command is 'serve' (--help lists them all)")]
    [TestCase(new[] { "conformanse" }, "unknown command 'conformanse'; did you mean 'conformance'?")]
    [TestCase(new[] { "--bogus", "--urls", Loopback }, "unknown option --bogus; the closest known option is --urls (--help lists them all)")]
    [TestCase(new[] { "--EngineIo:PingIntervall=5s", "--urls", Loopback }, "unknown option --EngineIo:PingIntervall; did you mean --EngineIo:PingInterval?")]
    [TestCase(new[] { "--urls", Loopback, "--web-root" }, "--web-root needs a value (e.g. --web-root=VALUE)")]
    public async Task Unknown_commands_and_options_exit_2(string[] args, string message) =>
        await AssertRefusedAsync(args, 2, message);

    [TestCase(new[] { "--urls", "garbage" }, "urls=garbage is not a listen address: use http://HOST:PORT or https://HOST:PORT, e.g. http://0.0.0.0:3000 (several separated by ;)")]
    [TestCase(new[] { "--urls", "http://127.0.0.1:notaport" }, "urls=http://127.0.0.1:notaport is not a listen address: use http://HOST:PORT or https://HOST:PORT, e.g. http://0.0.0.0:3000 (several separated by ;)")]
    [TestCase(new[] { "--urls", "http://127.0.0.1:70000" }, "urls=http://127.0.0.1:70000 has a port above 65535")]
    [TestCase(new[] { "--web-root", "/no/such/folder" }, "Server:WebRoot=/no/such/folder is not a folder (/no/such/folder does not exist)")]
    [TestCase(new[] { "--EngineIo:PingInterval=banana" }, "EngineIo:PingInterval=banana is not a duration: " + DurationForms)]
    [TestCase(new[] { "--EngineIo:PingInterval=25" }, "EngineIo:PingInterval=25 is not a duration: " + DurationForms)]
    [TestCase(new[] { "--EngineIo:PingInterval=0" }, "EngineIo:PingInterval=0 must be between 1ms and 24d")]
    [TestCase(new[] { "--SocketIo:ConnectTimeout", "30d" }, "SocketIo:ConnectTimeout=30d must be between 1ms and 24d")]
    [TestCase(new[] { "--EngineIo:MaxHttpBufferSize=-5" }, "EngineIo:MaxHttpBufferSize=-5 must be a positive number of bytes")]
    [TestCase(new[] { "--EngineIo:MaxHttpBufferSize=1e6" }, "EngineIo:MaxHttpBufferSize=1e6 is not a whole number")]
    [TestCase(new[] { "--EngineIo:AllowEio3=yes" }, "EngineIo:AllowEio3=yes is not true or false")]
    [TestCase(new[] { "--EngineIo:Path=socket.io" }, "EngineIo:Path=socket.io must start with /")]
    [TestCase(new[] { "--EngineIo:CorsOrigins=*" }, "EngineIo:CorsOrigins=* is a list or section: set its items, e.g. EngineIo:CorsOrigins:0=...")]
    [TestCase(new[] { "--EngineIo:CorsOrigins:0=example.org" }, "EngineIo:CorsOrigins:0=example.org is not an origin: use * or scheme://host[:port], e.g. https://example.org")]
    [TestCase(new[] { "--log-level", "Nonsense" }, "Serilog:MinimumLevel:Default=Nonsense is not a log level: use one of Verbose, Debug, Information, Warning, Error, Fatal")]
    [TestCase(new[] { "--Server:IceServers:0:Urls:0=stun.example.org" }, "Server:IceServers:0:Urls:0=stun.example.org is not an ICE server URL: use stun:HOST[:PORT], turn:HOST[:PORT] or turns:HOST[:PORT]")]
    [TestCase(new[] { "--Server:IceServers:0:Urls:0=turn:turn.example.org" }, "Server:IceServers:0:Urls:0=turn:turn.example.org is a TURN server: it needs a Username and a Credential")]
    [TestCase(new[] { "--Server:ForwardedHeaders:KnownNetworks:0=10.0.0.0" }, "Server:ForwardedHeaders:KnownNetworks:0=10.0.0.0 is not a network: use CIDR notation, e.g. 10.0.0.0/8")]
    [TestCase(new[] { "--Kestrel:Certificates:Default:Path=/no/such/cert.pem" }, "Kestrel:Certificates:Default:Path=/no/such/cert.pem does not exist")]
    [TestCase(new[] { "--Redis:Sharded=true", "--Redis:SubscriptionMode=dynamik" }, "Redis:SubscriptionMode=dynamik is not a subscription mode: use static, dynamic or dynamic-private")]
    [TestCase(new[] { "--Redis:SubscriptionMode=static" }, "Redis:SubscriptionMode=static applies to the sharded adapter only: set Redis:Sharded=true too")]
    public async Task Bad_values_exit_1(string[] args, string message) =>
        await AssertRefusedAsync(args.Contains("--urls") ? args : [.. args, "--urls", Loopback], 1, message);

    [Test]
    public async Task Every_mistake_is_reported_not_only_the_first() =>
        await AssertRefusedAsync(
            ["--EngineIo:PingTimeout=0", "--SocketIo:MaxJsonDepth=0", "--urls", Loopback],
            1,
            "EngineIo:PingTimeout=0 must be between 1ms and 24d",
            "SocketIo:MaxJsonDepth=0 must be between 1 and 1000");

    [Test]
    public async Task An_unknown_key_in_the_environment_is_refused_too()
    {
        var (exitCode, output, errors) = await ServerProcess.RunWithErrorsAsync(
            new Dictionary<string, string> { ["SocketIo__ConnectTimout"] = "10s" }, "--urls", Loopback);
        Assert.That(exitCode, Is.EqualTo(2), output);
        Assert.That(errors, Is.EqualTo(new[] { "error: unknown option SocketIo:ConnectTimout in the environment; did you mean SocketIo:ConnectTimeout?" }), output);
    }

    [Test]
    public async Task An_address_in_use_is_one_line_and_exit_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        await AssertRefusedAsync(["--urls", url], 1, $"Failed to bind to address {url}: address already in use.");
    }

    [Test]
    public async Task Https_without_a_certificate_is_one_line_and_exit_1() =>
        await AssertRefusedAsync(
            ["--urls", "https://127.0.0.1:0"],
            1,
            "an https:// address needs a certificate: set Kestrel:Certificates:Default:Path and Kestrel:Certificates:Default:KeyPath (PEM files; README, 'HTTPS')");

    [Test]
    public async Task A_certificate_that_is_not_one_is_one_line_and_exit_1()
    {
        using var certificate = new TestCertificate();
        await File.WriteAllTextAsync(certificate.CertificatePath, "not a certificate");
        await AssertRefusedAsync(
            [.. certificate.Options, "--urls", "https://127.0.0.1:0"],
            1,
            $"Kestrel:Certificates:Default:Path={certificate.CertificatePath} cannot be loaded: ASN1 corrupted data.");
    }

    [Test]
    public async Task A_key_of_another_certificate_is_one_line_and_exit_1()
    {
        using var certificate = new TestCertificate();
        using var other = new TestCertificate();
        await AssertRefusedAsync(
            [$"--Kestrel:Certificates:Default:Path={certificate.CertificatePath}", $"--Kestrel:Certificates:Default:KeyPath={other.KeyPath}", "--urls", "https://127.0.0.1:0"],
            1,
            $"Error getting private key from '{other.KeyPath}'. The provided key does not match the public key for this certificate. (Parameter 'privateKey')");
    }

    [Test]
    public async Task At_debug_level_a_failed_start_shows_the_exception_as_well()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var (exitCode, output, errors) = await ServerProcess.RunWithErrorsAsync(null, "--log-level", "Debug", "--urls", $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}");
        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(errors[0], Does.StartWith("error: Failed to bind to address"), output);
        Assert.That(output, Does.Contain("AddressInUseException").And.Contain("   at "), "the details a developer needs");
    }

    [Test]
    public async Task Version_prints_the_informational_version()
    {
        foreach (var args in new[] { new[] { "--version" }, ["version"] })
        {
            var (exitCode, output) = await ServerProcess.RunAsync(args);
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output.Trim(), Does.Match(@"^Signaling\.Server \d+\.\d+\.\d+\S*$"));
        }
    }

    [Test]
    public async Task Durations_with_units_and_clock_forms_start_and_mean_what_they_say()
    {
        var (server, url) = await ServerProcess.StartAsync(
            "--EngineIo:PingInterval=1.5s", "--EngineIo:PingTimeout", "00:00:20", "--SocketIo:ConnectTimeout=2m", "--Signaling:PresenceCoalescing=0",
            "--EngineIo:MaxHttpBufferSize", "5000", "--Server:IceServers:0:Urls:0=stun:stun.example.org:3478", "--EngineIo:CorsCredentials");
        await using var _ = server;
        using var http = new HttpClient();
        var open = await http.GetStringAsync(new Uri(url, "socket.io/?EIO=4&transport=polling"));
        var handshake = JObject.Parse(open[1..]);
        Assert.That((int?)handshake["pingInterval"], Is.EqualTo(1500));
        Assert.That((int?)handshake["pingTimeout"], Is.EqualTo(20_000));
        Assert.That((int?)handshake["maxPayload"], Is.EqualTo(5000));
        var config = JObject.Parse(await http.GetStringAsync(new Uri(url, "signaling/config")));
        Assert.That((string?)config["iceServers"]?[0]?["urls"]?[0], Is.EqualTo("stun:stun.example.org:3478"));
    }

    private static async Task AssertRefusedAsync(string[] args, int exitCode, params string[] messages)
    {
        var (code, output, errors) = await ServerProcess.RunWithErrorsAsync(null, args);
        Assert.That(code, Is.EqualTo(exitCode), output);
        Assert.That(errors, Is.EqualTo(messages.Select(m => "error: " + m)), output);
        Assert.That(output, Does.Not.Contain("   at ").And.Not.Contain("Exception"), "no stack trace");
    }
}
