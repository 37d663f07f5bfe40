using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Signaling.Server.Hosting;

/// <summary>
/// Serves the official Socket.IO 4 browser client (copied from npm into <c>client/</c> at build
/// time) under the Engine.IO path, as the Node.js server does: <c>/socket.io/socket.io.js</c>,
/// the minified and ESM builds and their source maps, with ETag and Last-Modified validation.
/// </summary>
internal static class ClientBundle
{
    public static void Map(WebApplication app, string enginePath)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "client");
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException($"The Socket.IO client bundle is missing from {folder}; build the server with npm available.");
        }
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".map"] = "application/json";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            RequestPath = new PathString(enginePath.TrimEnd('/')),
            ContentTypeProvider = types,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=0",
        });
    }
}
