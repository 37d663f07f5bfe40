using System.Net;
using System.Net.Http.Headers;
using Newtonsoft.Json.Linq;
using Signaling.Server.Hosting;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Hosting;

/// <summary>What the server serves over plain HTTP besides Socket.IO: the client bundle, the page, its configuration.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ServingTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [TestCase("socket.io.js", "text/javascript")]
    [TestCase("socket.io.min.js", "text/javascript")]
    [TestCase("socket.io.esm.min.js", "text/javascript")]
    [TestCase("socket.io.js.map", "application/json")]
    [TestCase("socket.io.min.js.map", "application/json")]
    [TestCase("socket.io.esm.min.js.map", "application/json")]
    public async Task The_official_client_bundle_is_served_with_an_etag(string file, string contentType)
    {
        await using var server = await InProcessServer.StartAsync(["serve"]);
        var url = new Uri(server.BaseUrl, $"socket.io/{file}");

        using var first = await Http.GetAsync(url);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(first.Content.Headers.ContentType?.MediaType, Is.EqualTo(contentType));
        var body = await first.Content.ReadAsStringAsync();
        Assert.That(body.Length, Is.GreaterThan(1000));
        if (file == "socket.io.js")
        {
            Assert.That(body, Does.Contain("4.8.4"), "the bundle is socket.io-client 4.8.4");
        }
        var etag = first.Headers.ETag ?? throw new AssertionException("no ETag");

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await Http.SendAsync(again);
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task The_page_is_served_at_the_root()
    {
        await using var server = await InProcessServer.StartAsync(["serve"]);
        var page = await Http.GetStringAsync(server.BaseUrl);
        Assert.That(page, Does.Contain("js/main.js"));
    }

    [Test]
    public async Task Web_root_serves_another_folder_instead()
    {
        var folder = Directory.CreateTempSubdirectory("signaling-web-root-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "index.html"), "<p>my own page</p>");
            await using var server = await InProcessServer.StartAsync(["serve", "--web-root", folder.FullName]);
            Assert.That(await Http.GetStringAsync(server.BaseUrl), Is.EqualTo("<p>my own page</p>"));
            using var bundle = await Http.GetAsync(new Uri(server.BaseUrl, "socket.io/socket.io.js"));
            Assert.That(bundle.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the client bundle stays available to the page");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task A_web_root_that_does_not_exist_is_a_clear_startup_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), "signaling-no-such-folder-" + Guid.NewGuid());
        var error = Assert.ThrowsAsync<StartupException>(() => InProcessServer.StartAsync(["serve", "--web-root", missing]));
        Assert.That(error!.Errors, Is.EqualTo(new[] { $"Server:WebRoot={missing} is not a folder ({missing} does not exist)" }));
        Assert.That(error.ExitCode, Is.EqualTo(StartupException.StartFailure));
    }

    [Test]
    public async Task Ice_servers_come_from_configuration()
    {
        await using var server = await InProcessServer.StartAsync([
            "serve",
            "--Server:IceServers:0:Urls:0=stun:stun.example.org:3478",
            "--Server:IceServers:1:Urls:0=turn:turn.example.org:3478",
            "--Server:IceServers:1:Username=user",
            "--Server:IceServers:1:Credential=secret",
        ]);
        using var response = await Http.GetAsync(new Uri(server.BaseUrl, "signaling/config"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var config = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(config.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo(
            """{"iceServers":[{"urls":["stun:stun.example.org:3478"]},{"urls":["turn:turn.example.org:3478"],"username":"user","credential":"secret"}],"iceTransportPolicy":"all","engineIoPath":"socket.io/"}"""));
    }

    [Test]
    public async Task There_are_no_ice_servers_by_default()
    {
        await using var server = await InProcessServer.StartAsync(["serve"]);
        var config = await Http.GetStringAsync(new Uri(server.BaseUrl, "signaling/config"));
        Assert.That(config, Is.EqualTo("""{"iceServers":[],"iceTransportPolicy":"all","engineIoPath":"socket.io/"}"""));
    }

    [Test]
    public async Task The_config_tells_the_page_where_engine_io_is_relative_to_itself()
    {
        await using var server = await InProcessServer.StartAsync(["serve", "--EngineIo:Path=/rtc/io/"]);
        var config = JObject.Parse(await Http.GetStringAsync(new Uri(server.BaseUrl, "signaling/config")));
        Assert.That(config.Value<string>("engineIoPath"), Is.EqualTo("rtc/io/"));
        using var bundle = await Http.GetAsync(new Uri(server.BaseUrl, "rtc/io/socket.io.js"));
        Assert.That(bundle.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the client bundle is served under the Engine.IO path");
    }

    [Test]
    public async Task A_path_base_moves_the_page_its_config_the_bundle_and_engine_io_under_it()
    {
        await using var server = await InProcessServer.StartAsync(["serve", "--Server:PathBase=/chat/"]);
        Assert.That(await Http.GetStringAsync(new Uri(server.BaseUrl, "chat/")), Does.Contain("js/main.js"));
        var config = JObject.Parse(await Http.GetStringAsync(new Uri(server.BaseUrl, "chat/signaling/config")));
        Assert.That(config.Value<string>("engineIoPath"), Is.EqualTo("socket.io/"));
        using var bundle = await Http.GetAsync(new Uri(server.BaseUrl, "chat/socket.io/socket.io.js"));
        Assert.That(bundle.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var open = await Http.GetStringAsync(new Uri(server.BaseUrl, "chat/socket.io/?EIO=4&transport=polling"));
        Assert.That(open, Does.StartWith("0{"), "Engine.IO answers under the path base");

        using var noSlash = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var redirect = await noSlash.GetAsync(new Uri(server.BaseUrl, "chat"));
        Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(redirect.Headers.Location?.OriginalString, Is.EqualTo("/chat/"), "the page's relative URLs need the folder's slash");
    }

    [TestCase("/a//b")]
    [TestCase("/chat?x")]
    public void A_path_base_that_is_not_a_plain_path_is_a_clear_startup_error(string pathBase)
    {
        var error = Assert.ThrowsAsync<StartupException>(() => InProcessServer.StartAsync(["serve", $"--Server:PathBase={pathBase}"]));
        Assert.That(error!.Errors, Is.EqualTo(new[] { $"Server:PathBase={pathBase} is not a plain path such as /chat" }));
        Assert.That(error.ExitCode, Is.EqualTo(StartupException.StartFailure));
    }

    [Test]
    public async Task The_conformance_command_hosts_a_bare_engine_io_echo()
    {
        await using var server = await InProcessServer.StartAsync();
        var open = await Http.GetStringAsync(new Uri(server.BaseUrl, "engine.io/?EIO=4&transport=polling"));
        var sid = (string)JObject.Parse(open[1..])["sid"]!;
        var session = new Uri(server.BaseUrl, $"engine.io/?EIO=4&transport=polling&sid={sid}");

        using var post = await Http.PostAsync(session, new StringContent("4hello\u001e4world", new MediaTypeHeaderValue("text/plain")));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Http.GetStringAsync(session), Is.EqualTo("4hello\u001e4world"));
    }
}
