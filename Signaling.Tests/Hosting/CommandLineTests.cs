using Signaling.Server.Hosting;

namespace Signaling.Tests.Hosting;

public sealed class CommandLineTests
{
    [Test]
    public void Serve_is_the_default_command()
    {
        var line = CommandLine.Parse(["--urls", "http://127.0.0.1:0"]);
        Assert.That(line.Command, Is.EqualTo(CommandLine.Serve));
        Assert.That(line.ConfigurationArgs, Is.EqualTo(new[] { "--urls", "http://127.0.0.1:0" }));
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
            "--Server:WebRoot", "/srv/page", "--Server:LogJson=true", "--Serilog:MinimumLevel:Default", "Debug",
        }));
    }
}
