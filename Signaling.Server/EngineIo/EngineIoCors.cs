using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Signaling.Server.EngineIo;

/// <summary>CORS for polling requests, as the reference's <c>cors</c> option: allowed origins are reflected.</summary>
internal static class EngineIoCors
{
    private const string AllowedMethods = "GET,HEAD,PUT,PATCH,POST,DELETE";

    /// <summary>Adds the CORS headers; returns true when the request was a preflight, now answered.</summary>
    public static bool Apply(HttpContext context, EngineIoOptions options)
    {
        if (options.CorsOrigins.Length == 0)
        {
            return false;
        }

        var request = context.Request;
        var headers = context.Response.Headers;
        string? origin = request.Headers.Origin;
        var allowed = IsAllowed(origin, options);
        headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        if (allowed)
        {
            headers.AccessControlAllowOrigin = origin;
            if (options.CorsCredentials)
            {
                headers.AccessControlAllowCredentials = "true";
            }
        }

        if (!HttpMethods.IsOptions(request.Method) || !request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod))
        {
            return false;
        }

        if (allowed)
        {
            headers.AccessControlAllowMethods = AllowedMethods;
            var requested = request.Headers.AccessControlRequestHeaders;
            if (!string.IsNullOrEmpty(requested))
            {
                headers.AccessControlAllowHeaders = requested;
                headers.Append(HeaderNames.Vary, HeaderNames.AccessControlRequestHeaders);
            }
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentLength = 0;
        return true;
    }

    /// <summary>Whether <paramref name="origin"/> gets the allow headers (reflected in <c>Access-Control-Allow-Origin</c>).</summary>
    internal static bool IsAllowed([NotNullWhen(true)] string? origin, EngineIoOptions options)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return false;
        }

        foreach (var allowedOrigin in options.CorsOrigins)
        {
            if (allowedOrigin == "*" || string.Equals(allowedOrigin, origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
