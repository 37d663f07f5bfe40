using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Signaling.Server.Hosting;

namespace Signaling.Tests.Infrastructure;

/// <summary>Our server running its conformance command in the test process, on a loopback port the OS chose.</summary>
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

    public static async Task<InProcessServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var app = SignalingApp.Build(["conformance", "--urls", "http://127.0.0.1:0"]);
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
