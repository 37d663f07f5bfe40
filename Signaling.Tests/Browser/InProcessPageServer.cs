using Microsoft.AspNetCore.Builder;
using Signaling.Server.Hosting;

namespace Signaling.Tests.Browser;

/// <summary>Our server, in this process, on a loopback port the OS picks, serving web/ as its web root.</summary>
internal sealed class InProcessPageServer : IPageServer
{
    private readonly WebApplication app;

    private InProcessPageServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<InProcessPageServer> StartAsync(CancellationToken cancellationToken)
    {
        var app = SignalingApp.Build(["--urls", "http://127.0.0.1:0", "--web-root", RepositoryLayout.WebRoot]);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        // After start, Urls holds the address Kestrel really bound, port included.
        var address = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return new InProcessPageServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(stopping.Token);
        await app.DisposeAsync();
    }
}
