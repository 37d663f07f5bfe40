using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Newtonsoft.Json;

namespace Signaling.Server.Hosting;

/// <summary>
/// Serves the video-chat page (or the folder given by <c>--web-root</c>) at <c>/</c>, and the
/// page's configuration (ICE servers) at <c>/signaling/config</c>.
/// </summary>
internal static class WebPage
{
    public const string ConfigPath = "/signaling/config";

    public static void Map(WebApplication app, ServerOptions options)
    {
        // ServerOptions' validation made sure the folder exists.
        var files = new PhysicalFileProvider(options.WebRootPath);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

        var config = JsonConvert.SerializeObject(new { iceServers = options.IceServers });
        app.MapGet(ConfigPath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(config, "application/json");
        });
    }
}
