using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Cluster;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Hosting;

/// <summary>
/// The packages as a stranger uses them: Signaling.SocketIo and Signaling.Protocol packed into a
/// folder, a minimal ASP.NET Core app (the README's example, "Inside your own ASP.NET Core app")
/// built against them from that folder as a NuGet source, run on a loopback port, and the
/// official 4.x client against its own namespace and the relay.
/// </summary>
[NonParallelizable]
public sealed partial class LibraryPackageTests
{
    private const string ReadmeSection = "### Inside your own ASP.NET Core app";

    // A version no earlier run packed, so no package cache can hold a stale copy of it.
    private static readonly string Version = $"1.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{System.Environment.ProcessId}";

    private ServiceProcess? _app;
    private Uri? _url;

    private Uri Url => _url ?? throw new InvalidOperationException("The sample starts in OneTimeSetUp.");

    [OneTimeSetUp]
    public async Task PackBuildAndStartTheSampleAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var port = LoopbackPorts.Free();
        _url = new Uri($"http://127.0.0.1:{port}/");
        _app = await ServiceProcess.StartInFolderAsync("library-sample", async folder =>
        {
            var packages = Path.Combine(folder, "packages");
            await PackAsync(Path.Combine(RepositoryLayout.Root, "Signaling.Protocol"), packages, timeout.Token);
            await PackAsync(Path.Combine(RepositoryLayout.Root, "Signaling.Server", "Signaling.SocketIo"), packages, timeout.Token);
            var app = Path.Combine(folder, "app");
            WriteSample(app, packages);
            await RunDotnetAsync(["build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false"], app, BuildEnvironment(folder), timeout.Token);
            return ("dotnet", [Path.Combine(app, "bin", "Release", "net10.0", "Sample.dll"), "--urls", _url.ToString()], port);
        });
    }

    [OneTimeTearDown]
    public async Task StopTheSampleAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Test]
    [Order(1)]
    public async Task A_namespace_registered_through_DI_answers_an_event_with_an_ack()
    {
        await using var client = await NodeSocketClient.ConnectAsync(Url, new NodeClientOptions(ClientVersion.V4, TransportMode.PollingThenUpgrade) { Namespace = "/chat" });

        var ack = await client.EmitWithAckAsync("say", "hello");

        Assert.That((string?)ack[0]?["heard"], Is.EqualTo("hello"), ack.ToString());
        Assert.That((string?)ack[0]?["from"], Is.EqualTo(client.Id), ack.ToString());
    }

    [Test]
    [Order(2)]
    public async Task MapSignaling_relays_presence_and_calls_with_the_senders_id()
    {
        await using var alice = await NodeSocketClient.ConnectAsync(Url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));
        await using var bob = await NodeSocketClient.ConnectAsync(Url, new NodeClientOptions(ClientVersion.V4, TransportMode.Polling));
        await alice.EmitAsync("online", "Alice");
        await PresenceLists.NextAsync(alice, list => list.Count == 1);
        await bob.EmitAsync("online", "Bob");
        var both = await PresenceLists.NextAsync(alice, list => list.Count == 2);
        Assert.That(both.Select(entry => ((string?)entry["id"], (string?)entry["name"])), Is.EqualTo(new[] { (alice.Id, "Alice"), (bob.Id, "Bob") }));

        var offer = new JObject { ["type"] = "offer", ["sdp"] = "v=0\r\n" };
        await alice.EmitAsync("offer", bob.Id, offer);
        var received = await bob.NextEventAsync("offer");

        Assert.That((string?)received.Args[0], Is.EqualTo(alice.Id), "the sender's id in place of the target's");
        Assert.That(JToken.DeepEquals(received.Args[1], offer), Is.True, received.ToString());
    }

    /// <summary>
    /// Last, as it stops the app: the socket is ended ("server shutting down" on the server side)
    /// and its connection closed at once, as the reference's <c>io.close()</c> does, rather than
    /// left for Kestrel to wait out (30 s by default, past this test's 10 s).
    /// </summary>
    [Test]
    [Order(3)]
    public async Task Stopping_the_app_tells_its_clients_goodbye_at_once()
    {
        await using var client = await NodeSocketClient.ConnectAsync(Url, new NodeClientOptions(ClientVersion.V4, TransportMode.WebSocket));

        var exitCode = await (_app ?? throw new InvalidOperationException("Started in OneTimeSetUp.")).StopAsync(TimeSpan.FromSeconds(10));

        Assert.That((await client.NextAsync("disconnect")).Reason, Is.EqualTo("transport close"));
        Assert.That(exitCode, Is.Zero);
    }

    /// <summary>The README's example: its project file and Program.cs, against <paramref name="packages"/> as a source.</summary>
    private static void WriteSample(string folder, string packages)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Signaling.SocketIo" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), ReadmeExample());
        // The machine's own sources stay (no <clear/>); the packed folder comes first.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>The first C# block after the README's heading for hosting the server in an app.</summary>
    private static string ReadmeExample()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "README.md"));
        var section = readme.IndexOf(ReadmeSection, StringComparison.Ordinal);
        Assert.That(section, Is.GreaterThanOrEqualTo(0), $"README.md has a section '{ReadmeSection}'");
        var block = CSharpBlock().Match(readme, section);
        Assert.That(block.Success, Is.True, "that section has a ```csharp example");
        return block.Groups["code"].Value;
    }

    /// <summary>
    /// Packs a project as the test run built it (no build, no restore: the repository's outputs
    /// are not touched), under this run's version.
    /// </summary>
    private static Task PackAsync(string project, string output, CancellationToken cancellationToken) =>
        RunDotnetAsync(["pack", project, "--no-build", "--no-restore", "-c", Configuration, "-o", output, $"-p:Version={Version}"], project, null, cancellationToken);

    /// <summary>The packages of this run go to a folder of the test's own; the machine's cache is only read, as a fallback.</summary>
    private static Dictionary<string, string> BuildEnvironment(string folder)
    {
        var machineCache = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return new()
        {
            ["NUGET_PACKAGES"] = Path.Combine(folder, "nuget-cache"),
            ["RestoreAdditionalProjectFallbackFolders"] = machineCache,
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
    }

    private static async Task RunDotnetAsync(string[] arguments, string folder, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var run = await ProcessRun.RunAsync("dotnet", arguments, folder, cancellationToken, environment);
        Assert.That(run.ExitCode, Is.Zero, $"dotnet {string.Join(' ', arguments)}:\n{run.StandardOutput}\n{run.StandardError}");
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [GeneratedRegex("```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
