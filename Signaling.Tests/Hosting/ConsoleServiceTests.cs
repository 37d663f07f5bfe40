using System.Net.WebSockets;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Hosting;

/// <summary>The program as a console service: its help, its logs, and how it stops.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ConsoleServiceTests
{
    [Test]
    public async Task Help_lists_the_commands_and_options()
    {
        var (exitCode, output) = await ServerProcess.RunAsync("--help");
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("serve").And.Contain("conformance").And.Contain("--web-root").And.Contain("EngineIo:PingInterval"));
    }

    [Test]
    public async Task The_conformance_command_uses_the_compliance_suites_settings()
    {
        var (server, url) = await ServerProcess.StartAsync("conformance");
        await using var _ = server;
        using var http = new HttpClient();
        var open = await http.GetStringAsync(new Uri(url, "socket.io/?EIO=4&transport=polling"));
        var handshake = JObject.Parse(open[1..]);
        Assert.That((int?)handshake["pingInterval"], Is.EqualTo(300));
        Assert.That((int?)handshake["pingTimeout"], Is.EqualTo(200));
        Assert.That((int?)handshake["maxPayload"], Is.EqualTo(1_000_000));

        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(url, "socket.io/?EIO=4&transport=polling"));
        preflight.Headers.Add("Origin", "http://elsewhere.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await http.SendAsync(preflight);
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { "http://elsewhere.example" }));
    }

    [Test]
    public async Task Sigterm_says_goodbye_to_connected_clients_and_exits_within_seconds()
    {
        // Debug: the socket's disconnect line, with its reason, is a Debug one.
        var (server, url) = await ServerProcess.StartAsync("--log-level", "Debug");
        await using var _ = server;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{url.Authority}/socket.io/?EIO=4&transport=websocket"), CancellationToken.None);
        Assert.That(await ReceiveTextAsync(socket), Does.StartWith("0{"));
        await socket.SendAsync(Encoding.UTF8.GetBytes("40"), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.That(await ReceiveTextAsync(socket), Does.StartWith("40{"));

        var stopping = DateTime.UtcNow;
        server.Terminate();

        Assert.That(await ReceiveTextAsync(socket), Is.EqualTo("1"), "the Engine.IO close packet");
        await server.WaitForExitAsync(TimeSpan.FromSeconds(5));
        Assert.That(server.ExitCode, Is.Zero, server.Output);
        Assert.That(DateTime.UtcNow - stopping, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(server.Output, Does.Contain("server shutting down"), "the socket's disconnect reason, as the reference gives it");
    }

    [Test]
    public async Task Log_json_writes_one_json_object_per_line_with_structured_fields()
    {
        // Debug: a socket's connect line, which carries the SocketId and Namespace fields, is a Debug one.
        var (server, url) = await ServerProcess.StartAsync("--log-json", "--log-level", "Debug");
        await using (server)
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{url.Authority}/socket.io/?EIO=4&transport=websocket"), CancellationToken.None);
            await ReceiveTextAsync(socket);
            await socket.SendAsync(Encoding.UTF8.GetBytes("40"), WebSocketMessageType.Text, true, CancellationToken.None);
            var connect = JObject.Parse((await ReceiveTextAsync(socket))[2..]);
            server.Terminate();
            await server.WaitForExitAsync(TimeSpan.FromSeconds(5));

            var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.That(lines, Is.Not.Empty);
            Assert.That(lines, Has.All.StartWith("{"), server.Output);
            var events = lines.Select(JObject.Parse).ToList();
            Assert.That(events.Any(e => (string?)e["SocketId"] == (string?)connect["sid"] && (string?)e["Namespace"] == "/"), Is.True, server.Output);
        }
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.That(result.MessageType, Is.EqualTo(WebSocketMessageType.Text), $"got {result.MessageType} ({result.CloseStatus} {result.CloseStatusDescription})");
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
