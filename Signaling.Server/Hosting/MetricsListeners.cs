using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Signaling.Server.Diagnostics;

namespace Signaling.Server.Hosting;

/// <summary>
/// The addresses of <see cref="MetricsOptions.Urls"/>, known by their ports: Kestrel listens on
/// them besides the main addresses; a request there may ask for <c>/metrics</c>, <c>/healthz</c>
/// and <c>/readyz</c> only, and the main addresses no longer serve <c>/metrics</c>. A request is
/// placed by the port it arrived on, never by its Host header, which the client chooses.
/// </summary>
internal sealed partial class MetricsListeners
{
    private static readonly string[] ServedPaths = [MetricsEndpoint.Path, HealthEndpoints.LivePath, HealthEndpoints.ReadyPath];

    private readonly string[] _urls;
    private readonly HashSet<int> _ports;

    /// <exception cref="InvalidOperationException">An address is not a URL with a port of its own.</exception>
    public MetricsListeners(MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _urls = options.Enabled ? SplitUrls(options.Urls) : [];
        _ports = [.. _urls.Select(PortOf)];
    }

    /// <summary>Whether connections accepted on <paramref name="endpoint"/> are the metrics listener's.</summary>
    public bool Owns(EndPoint endpoint) => endpoint is IPEndPoint ip && _ports.Contains(ip.Port);

    /// <summary>Adds the metrics addresses to the ones the web host listens on (its <c>urls</c> setting, set by then).</summary>
    public void Listen(IWebHostBuilder webHost)
    {
        ArgumentNullException.ThrowIfNull(webHost);
        if (_urls.Length == 0)
        {
            return;
        }
        var main = SplitUrls(webHost.GetSetting(WebHostDefaults.ServerUrlsKey));
        if (main.Select(MainPortOf).FirstOrDefault(_ports.Contains) is var shared and not 0)
        {
            throw new InvalidOperationException($"Metrics:Urls uses port {shared}, which --urls uses too: give the metrics their own port.");
        }
        webHost.UseUrls([.. main, .. _urls]);
    }

    /// <summary>Keeps each address to its own paths; first in the pipeline, so nothing else answers first.</summary>
    public void Filter(IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (_urls.Length == 0)
        {
            return;
        }
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var allowed = _ports.Contains(context.Connection.LocalPort)
                ? ServedPaths.Any(served => path.StartsWithSegments(served, StringComparison.OrdinalIgnoreCase))
                : !path.StartsWithSegments(MetricsEndpoint.Path, StringComparison.OrdinalIgnoreCase);
            if (allowed)
            {
                return next(context);
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    private static string[] SplitUrls(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The port of a main address, 0 when it has none to compare (Kestrel reports addresses it cannot use).</summary>
    private static int MainPortOf(string url)
    {
        try
        {
            return BindingAddress.Parse(url).Port;
        }
        catch (FormatException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The port of a metrics address, read by <see cref="Uri"/> (with <c>*</c> or <c>+</c> for the
    /// host as Kestrel allows): Kestrel's own parser takes some malformed addresses, e.g.
    /// <c>http://[::1</c> as port 1 on every interface, which must not happen to an address meant to be private.
    /// </summary>
    private static int PortOf(string url)
    {
        var probe = WildcardHost().Replace(url, "${scheme}://localhost");
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/"
            || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new InvalidOperationException($"Metrics:Urls: '{url}' is not a listen address such as http://127.0.0.1:9464.");
        }
        return uri.Port is > 0 and <= 65535
            ? uri.Port
            : throw new InvalidOperationException($"Metrics:Urls: '{url}' needs a port of its own (not 0), such as http://127.0.0.1:9464.");
    }

    [GeneratedRegex(@"^(?<scheme>[a-zA-Z]+)://[*+](?=[:/]|$)")]
    private static partial Regex WildcardHost();
}
