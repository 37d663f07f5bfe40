using System.Net;
using System.Text;
using System.Net.WebSockets;

namespace Signaling.Tests.EngineIo;

[TestFixture(EngineIoEntry.HttpPipeline)]
[TestFixture(EngineIoEntry.Connection)]
public sealed class EngineIoErrorTests(EngineIoEntry entry)
{
    private EngineIoTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await EngineIoTestHost.StartAsync(options =>
    {
        options.MaxHttpBufferSize = 1000;
        options.AllowRequest = context => ValueTask.FromResult(context.Request.Query.ContainsKey("deny") ? "not you" : null);
    }, entry);

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TestCase("/engine.io/?transport=polling")]
    [TestCase("/engine.io/?EIO=abc&transport=polling")]
    [TestCase("/engine.io/?EIO=5&transport=polling")]
    [TestCase("/engine.io/?EIO=2&transport=polling")]
    public async Task Unsupported_protocol_versions_are_code_5(string path)
    {
        await AssertErrorAsync(await _host.Http.GetAsync(path), HttpStatusCode.BadRequest, "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
    }

    [Test]
    public async Task Eio3_is_refused_as_unsupported_when_disabled()
    {
        await using var host = await EngineIoTestHost.StartAsync(options => options.AllowEio3 = false, entry);
        await AssertErrorAsync(await host.Http.GetAsync(EngineIoTestHost.Path(3, "polling")), HttpStatusCode.BadRequest, "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        Assert.That((await host.Http.GetAsync(EngineIoTestHost.Path(4, "polling"))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("/engine.io/?EIO=4")]
    [TestCase("/engine.io/?EIO=4&transport=abc")]
    [TestCase("/engine.io/?EIO=4&transport=webtransport")]
    public async Task Unknown_transports_are_code_0(string path)
    {
        await AssertErrorAsync(await _host.Http.GetAsync(path), HttpStatusCode.BadRequest, "{\"code\":0,\"message\":\"Transport unknown\"}");
    }

    [Test]
    public async Task A_disabled_transport_is_unknown()
    {
        await using var host = await EngineIoTestHost.StartAsync(options => options.Transports = ["websocket"], entry);
        await AssertErrorAsync(await host.Http.GetAsync(EngineIoTestHost.Path(4, "polling")), HttpStatusCode.BadRequest, "{\"code\":0,\"message\":\"Transport unknown\"}");
    }

    [Test]
    public async Task Unknown_sessions_are_code_1()
    {
        await AssertErrorAsync(await _host.Http.GetAsync(EngineIoTestHost.Path(4, "polling", "nope")), HttpStatusCode.BadRequest, "{\"code\":1,\"message\":\"Session ID unknown\"}");
        await AssertErrorAsync(await _host.PostAsync("nope", "4x"), HttpStatusCode.BadRequest, "{\"code\":1,\"message\":\"Session ID unknown\"}");
    }

    [TestCase("POST")]
    [TestCase("PUT")]
    public async Task Handshakes_other_than_get_are_code_2(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), EngineIoTestHost.Path(4, "polling")) { Content = new StringContent("4x") };
        await AssertErrorAsync(await _host.Http.SendAsync(request), HttpStatusCode.BadRequest, "{\"code\":2,\"message\":\"Bad handshake method\"}");
    }

    [Test]
    public async Task A_websocket_handshake_without_upgrade_is_code_3()
    {
        await AssertErrorAsync(await _host.Http.GetAsync(EngineIoTestHost.Path(4, "websocket")), HttpStatusCode.BadRequest, "{\"code\":3,\"message\":\"Bad request\"}");
    }

    [Test]
    public async Task Refused_handshakes_are_403_code_4_with_the_message()
    {
        await AssertErrorAsync(await _host.Http.GetAsync(EngineIoTestHost.Path(4, "polling", extra: "&deny=1")), HttpStatusCode.Forbidden, "{\"code\":4,\"message\":\"not you\"}");
        Assert.That(_host.Server.SessionCount, Is.Zero);
    }

    [Test]
    public async Task Oversized_polling_bodies_get_413()
    {
        var (sid, _) = await _host.HandshakeAsync();
        var response = await _host.PostAsync(sid, "4" + new string('x', 1000));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        // As the reference, the session itself survives.
        Assert.That((await _host.PostAsync(sid, "4fits")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await _host.GetAsync(sid), Is.EqualTo("4fits"));
    }

    [Test]
    public async Task Oversized_chunked_polling_bodies_get_413()
    {
        var (sid, _) = await _host.HandshakeAsync();
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("4" + new string('x', 5000))));
        using var request = new HttpRequestMessage(HttpMethod.Post, EngineIoTestHost.Path(4, "polling", sid)) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await _host.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task Oversized_websocket_messages_close_the_session()
    {
        using var socket = await _host.ConnectWebSocketAsync();
        var open = await WebSocketTestClient.ReceiveTextAsync(socket);
        var sid = WebSocketTestClient.SidOf(open);
        await socket.SendAsync(Encoding.UTF8.GetBytes("4" + new string('x', 1000)), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.That(await WebSocketTestClient.ReceiveCloseAsync(socket), Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
        Assert.That(await _host.Handler.ClosedAsync(sid), Is.EqualTo("transport error"));
        Assert.That(await _host.WaitForNoSessionsAsync(), Is.Zero);
    }

    [Test]
    public async Task Cors_reflects_allowed_origins_and_answers_preflights()
    {
        await using var host = await EngineIoTestHost.StartAsync(options =>
        {
            options.CorsOrigins = ["http://allowed.test"];
            options.CorsCredentials = true;
        }, entry);
        using var allowed = new HttpRequestMessage(HttpMethod.Get, EngineIoTestHost.Path(4, "polling"));
        allowed.Headers.Add("Origin", "http://allowed.test");
        var response = await host.Http.SendAsync(allowed);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "http://allowed.test" }));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Credentials"), Is.EqualTo(new[] { "true" }));
        });

        using var other = new HttpRequestMessage(HttpMethod.Get, EngineIoTestHost.Path(4, "polling"));
        other.Headers.Add("Origin", "http://other.test");
        Assert.That((await host.Http.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"), Is.False);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, EngineIoTestHost.Path(4, "polling"));
        preflight.Headers.Add("Origin", "http://allowed.test");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        var answer = await host.Http.SendAsync(preflight);
        Assert.Multiple(() =>
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(answer.Headers.GetValues("Access-Control-Allow-Methods").Single(), Does.Contain("POST"));
            Assert.That(answer.Headers.GetValues("Access-Control-Allow-Headers").Single(), Is.EqualTo("content-type"));
        });
    }

    [Test]
    public async Task Wildcard_cors_reflects_any_origin_and_none_sends_no_headers()
    {
        await using var host = await EngineIoTestHost.StartAsync(options => options.CorsOrigins = ["*"], entry);
        using var request = new HttpRequestMessage(HttpMethod.Get, EngineIoTestHost.Path(4, "polling"));
        request.Headers.Add("Origin", "http://anywhere.test");
        Assert.That((await host.Http.SendAsync(request)).Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "http://anywhere.test" }));

        using var plain = new HttpRequestMessage(HttpMethod.Get, EngineIoTestHost.Path(4, "polling"));
        plain.Headers.Add("Origin", "http://anywhere.test");
        Assert.That((await _host.Http.SendAsync(plain)).Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string json)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(body, Is.EqualTo(json));
        });
    }
}
