using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Signaling.Server.Hosting;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// Our server running in the test process on a loopback port the OS chose: its conformance
/// command by default, or any command line (e.g. <c>["serve"]</c> for the relay and the page).
/// </summary>
public sealed class InProcessServer : IServerUnderTest
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string Name => "ours";

    public Uri BaseUrl { get; }

    /// <summary>Our server logs through Serilog to the console, which the test output already shows.</summary>
    public string Diagnostics => "";

    /// <summary>
    /// The conformance fixture, with one change: pings still go out every 300 ms, but a client
    /// has 5 s instead of 200 ms to answer, so a machine loaded by the parallel test run does not
    /// turn into spurious ping timeouts. The exact fixture is checked in ConsoleServiceTests.
    /// </summary>
    public static Task<InProcessServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(["conformance", "--EngineIo:PingTimeout=00:00:05"], cancellationToken);

    public static async Task<InProcessServer> StartAsync(string[] commandLine, CancellationToken cancellationToken = default)
    {
        var app = SignalingApp.Build([.. commandLine, "--urls", "http://127.0.0.1:0"]);
        try
        {
            await app.StartAsync(cancellationToken);
            // Kestrel replaces port 0 with the bound port in the addresses feature once started.
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"The server bound no http address: {string.Join(", ", addresses)}");
            return new InProcessServer(app, new Uri(address));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public override string ToString() => $"our server at {BaseUrl}";
}
