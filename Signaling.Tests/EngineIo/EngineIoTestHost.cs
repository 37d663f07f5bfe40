using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Signaling.Server.EngineIo;
using Signaling.Server.Hosting;

namespace Signaling.Tests.EngineIo;

/// <summary>A real Kestrel on 127.0.0.1:0 serving an <see cref="EngineIoServer"/> with the <see cref="EchoHandler"/> at /engine.io/.</summary>
internal sealed class EngineIoTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EngineIoTestHost(WebApplication app, EngineIoServer server, EchoHandler handler, Uri baseUri)
    {
        _app = app;
        Server = server;
        Handler = handler;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public EngineIoServer Server { get; }

    public EchoHandler Handler { get; }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public static async Task<EngineIoTestHost> StartAsync(
        Action<EngineIoOptions>? configure = null,
        EngineIoEntry entry = EngineIoEntry.HttpPipeline,
        Action<KestrelServerOptions>? kestrel = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        EngineIoServer? server = null;
        builder.WebHost.ConfigureKestrel(options => kestrel?.Invoke(options));
        if (entry == EngineIoEntry.Connection)
        {
            // As the program: the transport hands Engine.IO WebSockets to the server, looked up
            // when Kestrel binds, after the server below exists.
            DescriptorGuardedTransportFactory.Register(builder.Services);
            EngineIoSocketConnections.Register(builder.Services, _ => server!);
        }
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        var options = new EngineIoOptions { Path = "/engine.io/" };
        configure?.Invoke(options);
        var handler = new EchoHandler();
        server = new EngineIoServer(options, handler, app.Services.GetRequiredService<ILoggerFactory>());
        app.MapEngineIo(server);
        map?.Invoke(app);
        await app.StartAsync();
        return new EngineIoTestHost(app, server, handler, new Uri(app.Urls.First()));
    }

    public static string Path(int eio, string transport, string? sid = null, string extra = "") =>
        $"/engine.io/?EIO={eio}&transport={transport}" + (sid is null ? "" : "&sid=" + sid) + extra;

    /// <summary>Polling handshake; returns the sid and the open packet's JSON.</summary>
    public async Task<(string Sid, JsonElement Open)> HandshakeAsync(int eio = 4, string extra = "")
    {
        var body = await Http.GetStringAsync(Path(eio, "polling", extra: extra));
        // v4: "0{...}"; v3: "<length>:0{...}".
        var json = body[(body.IndexOf('{'))..(body.LastIndexOf('}') + 1)];
        var open = JsonDocument.Parse(json).RootElement;
        return (open.GetProperty("sid").GetString()!, open);
    }

    public Task<string> GetAsync(string sid, int eio = 4, string extra = "") => Http.GetStringAsync(Path(eio, "polling", sid, extra));

    public async Task<HttpResponseMessage> PostAsync(string sid, string body, int eio = 4, string extra = "")
    {
        using var content = new StringContent(body, Encoding.UTF8, "text/plain");
        return await Http.PostAsync(Path(eio, "polling", sid, extra), content);
    }

    public async Task<HttpResponseMessage> PostBinaryAsync(string sid, byte[] body, int eio = 3)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await Http.PostAsync(Path(eio, "polling", sid), content);
    }

    public async Task<ClientWebSocket> ConnectWebSocketAsync(int eio = 4, string? sid = null, string extra = "")
    {
        var socket = new ClientWebSocket();
        var uri = new Uri(new Uri(BaseUri.ToString().Replace("http", "ws", StringComparison.Ordinal)), Path(eio, "websocket", sid, extra));
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    /// <summary>Waits (bounded) until the server holds no session: the leak check.</summary>
    public async Task<int> WaitForNoSessionsAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Server.SessionCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return Server.SessionCount;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Server.ShutdownAsync(timeout.Token);
        await _app.StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
    }
}
