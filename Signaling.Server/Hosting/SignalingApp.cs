using Microsoft.AspNetCore.Builder;

namespace Signaling.Server.Hosting;

/// <summary>
/// Builds the web application for a command line. Tests use <see cref="Build"/> with
/// <c>--urls http://127.0.0.1:0</c> to run the real server in-process on a loopback port.
/// </summary>
public static class SignalingApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var app = Build(args);
        await app.RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        return app;
    }
}
