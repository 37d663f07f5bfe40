using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Newtonsoft.Json;

namespace Signaling.Server.Hosting;

/// <summary>
/// Serves the video-chat page (or the folder given by <c>--web-root</c>) at <c>/</c> (or under
/// <c>Server:PathBase</c>), and the page's configuration (ICE servers, where Engine.IO is) at
/// <c>signaling/config</c> next to it.
/// </summary>
internal static class WebPage
{
    public const string ConfigPath = "/signaling/config";

    public static void Map(WebApplication app, ServerOptions options, WebPagePaths paths)
    {
        var root = string.IsNullOrWhiteSpace(options.WebRoot)
            ? Path.Combine(AppContext.BaseDirectory, "web")
            : Path.GetFullPath(options.WebRoot);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The web root {root} does not exist.");
        }
        var files = new PhysicalFileProvider(root);
        var requestPath = new PathString(paths.PathBase);
        if (requestPath.HasValue)
        {
            // The page's URLs are relative to its folder: /chat would resolve them against /.
            // (Not a route: routing ignores the trailing slash, so /chat/ would match too.)
            app.Use((context, next) =>
            {
                if (context.Request.Path.Value != paths.PathBase)
                {
                    return next(context);
                }
                context.Response.Redirect(paths.PathBase + "/" + context.Request.QueryString);
                return Task.CompletedTask;
            });
        }
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = requestPath });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = requestPath });

        var config = JsonConvert.SerializeObject(new { iceServers = options.IceServers, engineIoPath = paths.EngineRelativeToPage });
        app.MapGet(paths.PathBase + ConfigPath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(config, "application/json");
        });
    }
}
