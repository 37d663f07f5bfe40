using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Newtonsoft.Json;

namespace Signaling.Server.Hosting;

/// <summary>
/// Serves the video-chat page (or the folder given by <c>--web-root</c>) at <c>/</c>, and the
/// page's RTCConfiguration (ICE servers, transport policy) at <c>/signaling/config</c>.
/// </summary>
internal static class WebPage
{
    public const string ConfigPath = "/signaling/config";

    public static void Map(WebApplication app, ServerOptions options, TurnOptions turn)
    {
        // ServerOptions' validation made sure the folder exists.
        var files = new PhysicalFileProvider(options.WebRootPath);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

        var policy = options.IceTransportPolicy;
        if (!turn.Enabled)
        {
            var config = JsonConvert.SerializeObject(new { iceServers = options.IceServers, iceTransportPolicy = policy });
            app.MapGet(ConfigPath, (HttpContext context) => NotStored(context, config));
            return;
        }
        // Credentials of its own for every request: a page that is reloaded, or shares its
        // configuration, hands out nothing that outlives the TTL.
        var credentials = new TurnCredentials(turn, TimeProvider.System);
        app.MapGet(ConfigPath, (HttpContext context) => NotStored(context, JsonConvert.SerializeObject(new
        {
            iceServers = options.IceServers.Append(credentials.Issue()),
            iceTransportPolicy = policy,
        })));
    }

    private static IResult NotStored(HttpContext context, string config)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(config, "application/json");
    }
}
