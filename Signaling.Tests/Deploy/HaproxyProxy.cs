using System.Globalization;
using System.Text.RegularExpressions;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Deploy;

/// <summary>
/// Debian's HAProxy running deploy/haproxy/webrtc-signaling.cfg in front of our nodes on a free
/// loopback port (plain HTTP: the recipe's TLS lines stay commented out), in the foreground,
/// logging every request with the node it went to on stdout. Stopped by its process id.
/// </summary>
internal sealed partial class HaproxyProxy(ServiceProcess process, int port) : IAsyncDisposable
{
    public Uri Url { get; } = new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));

    /// <summary>HAProxy's log: one httplog line per request, naming backend/node and the request line.</summary>
    public string Log => process.Output;

    /// <summary>The requests HAProxy has logged (when they ended), from <see cref="Log"/>.</summary>
    public IReadOnlyList<ProxiedRequest> Requests =>
        [.. LogLine().Matches(Log).Select(m => new ProxiedRequest(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[1].Value, m.Groups[3].Value))];

    /// <param name="nodes">The nodes in the backend, as many as the recipe lists.</param>
    /// <param name="withoutStickiness">Drops the recipe's cookie line (plain round-robin): only to show the line matters.</param>
    public static async Task<HaproxyProxy> StartAsync(IReadOnlyList<Uri> nodes, bool withoutStickiness = false)
    {
        var port = LoopbackPorts.Free();
        var process = await ServiceProcess.StartInFolderAsync("haproxy", dir =>
        {
            var recipe = Recipe.Load("haproxy", "webrtc-signaling.cfg")
                .Replace(@"bind :80\b", string.Create(CultureInfo.InvariantCulture, $"bind 127.0.0.1:{port}"))
                .Replace(@"127\.0\.0\.1:300\d", [.. nodes.Select(n => n.Authority)]);
            if (withoutStickiness)
            {
                recipe.Replace(@"^\s*cookie SIGNALING_NODE .*$", "");
            }
            var config = Path.Combine(dir, "haproxy.cfg");
            recipe.WriteTo(config);
            return Task.FromResult(("haproxy", new[] { "-db", "-f", config }, port));
        });
        return new HaproxyProxy(process, port);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();

    // httplog: client [date] frontend backend/server timers status bytes ... "METHOD target HTTP/1.1"
    [GeneratedRegex(@"signaling_nodes/(\S+) \S+ (\d{3}) .*""\S+ (\S+) HTTP/[\d.]+""\s*$", RegexOptions.Multiline)]
    private static partial Regex LogLine();
}
