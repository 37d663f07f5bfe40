using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Newtonsoft.Json;

namespace Signaling.Server.Hosting;

/// <summary>
/// Serves the video-chat page (or the folder given by <c>--web-root</c>) at <c>/</c> (or under
/// <c>Server:PathBase</c>), and the page's configuration (ICE servers, transport policy, where
/// Engine.IO is) at <c>signaling/config</c> next to it.
/// </summary>
internal static class WebPage
{
    public const string ConfigPath = "/signaling/config";

    public static void Map(WebApplication app, ServerOptions options, TurnOptions turn, WebPagePaths paths)
    {
        // ServerOptions' validation made sure the folder exists.
        var files = new PhysicalFileProvider(options.WebRootPath);
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

        var policy = options.IceTransportPolicy;
        var configPath = paths.PathBase + ConfigPath;
        if (!turn.Enabled)
        {
            var config = JsonConvert.SerializeObject(new { iceServers = options.IceServers, iceTransportPolicy = policy, engineIoPath = paths.EngineRelativeToPage });
            app.MapGet(configPath, (HttpContext context) => NotStored(context, config));
            return;
        }
        // Credentials of its own for every request: a page that is reloaded, or shares its
        // configuration, hands out nothing that outlives the TTL.
        var credentials = new TurnCredentials(turn, TimeProvider.System);
        app.MapGet(configPath, (HttpContext context) => NotStored(context, JsonConvert.SerializeObject(new
        {
            iceServers = options.IceServers.Append(credentials.Issue()),
            iceTransportPolicy = policy,
            engineIoPath = paths.EngineRelativeToPage,
        })));
    }

    private static IResult NotStored(HttpContext context, string config)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(config, "application/json");
    }
}
