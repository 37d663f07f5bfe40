using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Signaling.Tests.EngineIo;

/// <summary>Small helpers over <see cref="ClientWebSocket"/> for raw Engine.IO frames.</summary>
internal static class WebSocketTestClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task SendTextAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public static Task SendBinaryAsync(WebSocket socket, byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    public static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        var (type, data) = await ReceiveAsync(socket);
        Assert.That(type, Is.EqualTo(WebSocketMessageType.Text), "expected a text frame");
        return Encoding.UTF8.GetString(data);
    }

    public static async Task<byte[]> ReceiveBinaryAsync(WebSocket socket)
    {
        var (type, data) = await ReceiveAsync(socket);
        Assert.That(type, Is.EqualTo(WebSocketMessageType.Binary), "expected a binary frame");
        return data;
    }

    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    /// <summary>Reads until the server's close frame; returns its status (frames before it are skipped).</summary>
    public static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(WebSocket socket)
    {
        while (true)
        {
            var (type, _) = await ReceiveAsync(socket);
            if (type == WebSocketMessageType.Close)
            {
                return socket.CloseStatus;
            }
        }
    }

    public static string SidOf(string openPacket)
    {
        Assert.That(openPacket, Does.StartWith("0{"));
        return JsonDocument.Parse(openPacket[1..]).RootElement.GetProperty("sid").GetString()!;
    }
}
