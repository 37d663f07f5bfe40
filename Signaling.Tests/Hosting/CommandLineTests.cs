using Signaling.Server.Hosting;

namespace Signaling.Tests.Hosting;

public sealed class CommandLineTests
{
    [Test]
    public void Serve_is_the_default_command()
    {
        var line = CommandLine.Parse(["--urls", "http://127.0.0.1:0"]);
        Assert.That(line.Command, Is.EqualTo(CommandLine.Serve));
        Assert.That(line.ConfigurationArgs, Is.EqualTo(new[] { "--urls=http://127.0.0.1:0" }));
    }

    [Test]
    public void The_first_bare_word_is_the_command() =>
        Assert.That(CommandLine.Parse(["conformance"]).Command, Is.EqualTo(CommandLine.Conformance));

    [TestCase("-h")]
    [TestCase("--help")]
    public void Help_switches_ask_for_help(string flag) =>
        Assert.That(CommandLine.Parse(["serve", flag]).Command, Is.EqualTo(CommandLine.Help));

    [Test]
    public void Friendly_switches_become_configuration_keys()
    {
        var line = CommandLine.Parse(["--web-root", "/srv/page", "--log-json", "--log-level", "Debug"]);
        Assert.That(line.ConfigurationArgs, Is.EqualTo(new[]
        {
            "--Server:WebRoot=/srv/page", "--Server:LogJson=true", "--Serilog:MinimumLevel:Default=Debug",
        }));
    }

    [Test]
    public void Options_of_the_options_classes_are_known_in_both_forms_and_any_case()
    {
        var line = CommandLine.Parse(["--EngineIo:PingInterval", "10s", "--engineio:maxhttpbuffersize=5", "--Server:IceServers:1:Urls:0=stun:a", "--Kestrel:Certificates:Default:Path=c.pem"]);
        Assert.That(line.ConfigurationArgs, Is.EqualTo(new[]
        {
            "--EngineIo:PingInterval=10s", "--engineio:maxhttpbuffersize=5", "--Server:IceServers:1:Urls:0=stun:a", "--Kestrel:Certificates:Default:Path=c.pem",
        }));
    }

    [Test]
    public void A_bare_boolean_option_switches_it_on() =>
        Assert.That(CommandLine.Parse(["--EngineIo:CorsCredentials", "--urls", "x"]).ConfigurationArgs, Is.EqualTo(new[] { "--EngineIo:CorsCredentials=true", "--urls=x" }));

    [TestCase(new[] { "--bogus", "--urls", "http://127.0.0.1:0" }, "unknown option --bogus; the closest known option is --urls (--help lists them all)")]
    [TestCase(new[] { "--EngineIo:PingIntervall=5s" }, "unknown option --EngineIo:PingIntervall; did you mean --EngineIo:PingInterval?")]
    [TestCase(new[] { "--Server:IceServers:0:Url:0=stun:a" }, "unknown option --Server:IceServers:0:Url:0; did you mean --Server:IceServers:0:Urls:0?")]
    [TestCase(new[] { "--EngineIo:Path:x=1" }, "unknown option --EngineIo:Path:x; did you mean --EngineIo:Path?")]
    [TestCase(new[] { "servr" }, "unknown command 'servr'; did you mean 'serve'?")]
    [TestCase(new[] { "--web-root", "--urls", "x" }, "--web-root needs a value (e.g. --web-root=VALUE)")]
    [TestCase(new[] { "serve", "extra" }, "unexpected argument 'extra': options start with -- (e.g. --urls http://0.0.0.0:3000), and the command comes first")]
    public void Mistakes_are_refused_naming_the_closest_known_name(string[] args, string message)
    {
        var error = Assert.Throws<StartupException>(() => CommandLine.Parse(args));
        Assert.That(error!.ExitCode, Is.EqualTo(StartupException.UsageError));
        Assert.That(error.Errors, Is.EqualTo(new[] { message }));
    }
}
