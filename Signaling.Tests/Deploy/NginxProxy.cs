using System.Globalization;
using System.Text.RegularExpressions;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Deploy;

/// <summary>
/// Debian's nginx running deploy/nginx/webrtc-signaling.conf in front of our nodes, on free
/// loopback ports, with a certificate made for the test. The recipe is included, as on a server,
/// in a minimal main configuration of the test's own that writes every request with the node it
/// went to (<see cref="AccessLog"/>) and connects to the nodes from <see cref="ProxyAddress"/>, so
/// that the nodes can tell nginx (trusted for X-Forwarded-For) from its clients (127.0.0.1).
/// Stopped by its process id.
/// </summary>
internal sealed partial class NginxProxy(ServiceProcess process, int httpsPort, int httpPort) : IAsyncDisposable
{
    /// <summary>The address nginx connects to the nodes from.</summary>
    public const string ProxyAddress = "127.0.0.3";

    public Uri HttpsUrl { get; } = new(string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{httpsPort}/"));

    public Uri HttpUrl { get; } = new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}/"));

    /// <summary>One line per request: status, the node's address, the request line.</summary>
    public string AccessLog => File.ReadAllText(Path.Combine(process.Folder, "access.log"));

    /// <summary>The requests nginx has finished, from <see cref="AccessLog"/>.</summary>
    public IReadOnlyList<ProxiedRequest> Requests =>
        [.. AccessLogLine().Matches(AccessLog).Select(m => new ProxiedRequest(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value, m.Groups[3].Value))];

    /// <param name="nodes">The nodes in the upstream, as many as the recipe lists.</param>
    /// <param name="certificate">The certificate nginx presents.</param>
    /// <param name="withoutStickiness">Drops the recipe's <c>hash $remote_addr consistent;</c> line (nginx then balances round-robin): only to show the line matters.</param>
    public static async Task<NginxProxy> StartAsync(IReadOnlyList<Uri> nodes, SelfSignedCertificate certificate, bool withoutStickiness = false)
    {
        var httpsPort = LoopbackPorts.Free();
        var httpPort = LoopbackPorts.Free();
        var process = await ServiceProcess.StartInFolderAsync("nginx", async dir =>
        {
            // Run as root, nginx's workers are "nobody": they must reach the client_body folder
            // nginx makes here for request bodies past its 16 KB buffer (e.g. a poll of many packets).
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
            await File.WriteAllTextAsync(Path.Combine(dir, "cert.pem"), certificate.CertificatePem);
            await File.WriteAllTextAsync(Path.Combine(dir, "key.pem"), certificate.KeyPem);
            var recipe = Recipe.Load("nginx", "webrtc-signaling.conf")
                .Replace(@"server 127\.0\.0\.1:300\d;", [.. nodes.Select(n => $"server {n.Authority};")])
                .Replace(@"listen 80;", string.Create(CultureInfo.InvariantCulture, $"listen 127.0.0.1:{httpPort};"))
                .Replace(@"listen 443 ssl;", string.Create(CultureInfo.InvariantCulture, $"listen 127.0.0.1:{httpsPort} ssl;"))
                .Replace(@"ssl_certificate     \S+;", $"ssl_certificate     {dir}/cert.pem;")
                .Replace(@"ssl_certificate_key \S+;", $"ssl_certificate_key {dir}/key.pem;");
            if (withoutStickiness)
            {
                recipe.Replace(@"hash \$remote_addr consistent;", "");
            }
            recipe.WriteTo(Path.Combine(dir, "webrtc-signaling.conf"));
            await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), $$"""
                daemon off;
                worker_processes 1;
                pid {{dir}}/nginx.pid;
                error_log stderr notice;
                events { worker_connections 1024; }
                http {
                    log_format nodes '$status $upstream_addr "$request"';
                    access_log {{dir}}/access.log nodes;
                    proxy_bind {{ProxyAddress}};
                    client_body_temp_path {{dir}}/client_body;
                    proxy_temp_path {{dir}}/proxy;
                    fastcgi_temp_path {{dir}}/fastcgi;
                    uwsgi_temp_path {{dir}}/uwsgi;
                    scgi_temp_path {{dir}}/scgi;
                    include {{dir}}/webrtc-signaling.conf;
                }
                """);
            // -e: nginx opens its built-in error log (/var/log/nginx) before reading the configuration.
            return ("nginx", ["-e", "stderr", "-p", dir, "-c", Path.Combine(dir, "nginx.conf")], httpsPort);
        });
        return new NginxProxy(process, httpsPort, httpPort);
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();

    [GeneratedRegex(@"^(\d{3}) (\S+) ""\S+ (\S+) [^""]*""$", RegexOptions.Multiline)]
    private static partial Regex AccessLogLine();
}
