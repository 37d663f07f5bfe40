using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;
using static Signaling.Tests.Infrastructure.BinaryJson;

namespace Signaling.Tests.Interop;

/// <summary>Binary attachments (Buffers in node) both ways, byte for byte, for every client generation.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class BinaryTests : ServerFixture
{
    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] AllByteValues() => [.. Enumerable.Range(0, 256).Select(b => (byte)b)];

    /// <summary>Several attachments at the top level and nested in objects and arrays, mixed with JSON.</summary>
    private static JArray ArgumentsWithAttachments() =>
    [
        Binary(AllByteValues()),
        "text between binaries",
        new JObject
        {
            ["file"] = Binary(Bytes(64 * 1024, seed: 1)),
            ["meta"] = new JObject { ["name"] = "photo 📷.jpg", ["size"] = 65536 },
            ["parts"] = new JArray(Binary([]), Binary([0]), "not binary", Binary(Bytes(1000, seed: 2)), JValue.CreateNull()),
        },
        new JArray(Binary([0xff, 0xfe, 0xfd]), new JArray(Binary(Bytes(17, seed: 3)))),
        42,
    ];

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Binary_arguments_come_back_byte_for_byte(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);
        var args = ArgumentsWithAttachments();

        await client.EmitAsync("message", [.. args]);
        var echo = await client.NextEventAsync("message-back");

        JsonAssert.AreEqual(args, echo.Args, "message-back arguments");
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Single_binary_argument_comes_back(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);
        var payload = Bytes(200 * 1024, seed: (int)version);

        await client.EmitAsync("message", Binary(payload));
        var echo = await client.NextEventAsync("message-back");

        Assert.That(echo.Args, Has.Count.EqualTo(1));
        Assert.That(ToBytes(echo.Args[0]), Is.EqualTo(payload));
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Server_acknowledges_with_binary_attachments(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);
        var args = ArgumentsWithAttachments();

        var ack = await client.EmitWithAckAsync("message-with-ack", [.. args]);

        JsonAssert.AreEqual(args, ack, "ack arguments");
    }

    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Binary_and_text_messages_keep_their_order(ClientVersion version, TransportMode transport)
    {
        await using var client = await ConnectAsync(version, transport);
        var sent = Enumerable.Range(0, 30)
            .Select(i => i % 3 == 0 ? new JArray(i, Binary(Bytes(i + 1, seed: i))) : new JArray(i, $"text {i}"))
            .ToList();

        foreach (var args in sent)
        {
            await client.EmitAsync("message", [.. args]);
        }

        foreach (var args in sent)
        {
            var echo = await client.NextEventAsync("message-back");
            JsonAssert.AreEqual(args, echo.Args, $"echo of message {args[0]}");
        }
    }
}
