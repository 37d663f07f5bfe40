using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.SocketIo;

/// <summary>Acknowledgements the server asks for (<c>EmitWithAckAsync</c>) and ones the client asks for, alone and interleaved.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AckTests
{
    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Server_emit_with_ack_returns_the_client_answer_while_acks_interleave_both_ways(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var client = await host.ConnectAsync(version, transport);
        var socket = await host.NextConnectionAsync();

        var first = socket.EmitWithAckAsync("first", TimeSpan.FromSeconds(10), [1]);
        var second = socket.EmitWithAckAsync("second", TimeSpan.FromSeconds(10), [2]);
        var firstAsked = await client.NextEventAsync("first");
        var secondAsked = await client.NextEventAsync("second");
        JsonAssert.AreEqual(new JArray(1), firstAsked.Args);
        JsonAssert.AreEqual(new JArray(2), secondAsked.Args);
        Assert.That(firstAsked.AckId, Is.Not.Null, "the client saw an ack request");
        Assert.That(secondAsked.AckId, Is.Not.Null.And.Not.EqualTo(firstAsked.AckId), "distinct ack ids");

        // The client's own ack ids count from 0 like the server's: the same numbers travel both ways at once.
        var clientAck = client.EmitWithAckAsync("echo", "from client");
        await client.AckAsync(secondAsked.AckId!.Value, "second answer");
        JsonAssert.AreEqual(new JArray("from client"), await clientAck);
        await client.AckAsync(firstAsked.AckId!.Value, "first answer", new JObject { ["ok"] = true });

        JsonAssert.AreEqual(new JArray("first answer", new JObject { ["ok"] = true }), await first);
        JsonAssert.AreEqual(new JArray("second answer"), await second);
        await SocketIoTestHost.AssertEchoAsync(client, "after the interleaving");
    }

    // Binary both ways: a BINARY_EVENT from the server, a BINARY_ACK back from the client.
    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Server_emit_with_ack_carries_binaries_both_ways(ClientVersion version, TransportMode transport)
    {
        byte[] question = [0, 1, 2, 250, 255];
        byte[] answerBytes = [9, 8, 7, 0, 128];
        await using var host = await SocketIoTestHost.StartAsync();
        var client = await host.ConnectAsync(version, transport);
        var socket = await host.NextConnectionAsync();

        var answer = socket.EmitWithAckAsync("binary-question", TimeSpan.FromSeconds(10), ["text", question]);
        var asked = await client.NextEventAsync("binary-question");
        JsonAssert.AreEqual(new JArray("text", BinaryJson.Binary(question)), asked.Args);
        await client.AckAsync(asked.AckId!.Value, new JObject { ["file"] = BinaryJson.Binary(answerBytes) }, "done");

        var args = await answer;
        Assert.That(args, Has.Count.EqualTo(2));
        Assert.That(args[0]["file"]!.Type, Is.EqualTo(JTokenType.Bytes));
        Assert.That(args[0]["file"]!.ToObject<byte[]>(), Is.EqualTo(answerBytes));
        Assert.That((string?)args[1], Is.EqualTo("done"));
    }

    [TestCase(ClientVersion.V2, TransportMode.Polling)]
    [TestCase(ClientVersion.V4, TransportMode.WebSocket)]
    public async Task Server_emit_with_ack_times_out_when_the_client_never_answers(ClientVersion version, TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var client = await host.ConnectAsync(version, transport);
        var socket = await host.NextConnectionAsync();

        var answer = socket.EmitWithAckAsync("unanswered", TimeSpan.FromMilliseconds(300), ["hello"]);
        var asked = await client.NextEventAsync("unanswered");

        Assert.ThrowsAsync<TimeoutException>(async () => await answer);
        // The answer that comes too late is dropped, and the connection carries on.
        await client.AckAsync(asked.AckId!.Value, "too late");
        await SocketIoTestHost.AssertEchoAsync(client, "still here");
        Assert.That(socket.Connected, Is.True);
    }

    [Test]
    public async Task Pending_server_ack_fails_when_the_socket_disconnects()
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var client = await host.ConnectAsync(ClientVersion.V4, TransportMode.WebSocket);
        var socket = await host.NextConnectionAsync();

        var answer = socket.EmitWithAckAsync("unanswered", TimeSpan.FromSeconds(30), []);
        await client.NextEventAsync("unanswered");
        await client.DisconnectAsync();

        var error = Assert.ThrowsAsync<IOException>(async () => await answer);
        Assert.That(error!.Message, Does.Contain("client namespace disconnect"));
    }
}
