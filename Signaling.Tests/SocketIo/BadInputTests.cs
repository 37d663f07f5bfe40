using System.Text;
using Signaling.Server.SocketIo;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.SocketIo;

/// <summary>
/// Malformed Socket.IO packets sent over a raw session that joined <c>/</c> properly: each
/// closes that session with "parse error", an official client connected at the same time keeps
/// working, and nothing is left behind.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class BadInputTests
{
    /// <summary>A frame starting with this is sent as a binary message of the rest's UTF-8 bytes.</summary>
    private const string Binary = "binary:";

    private static readonly (string Name, string[] Frames)[] Attacks =
    [
        ("bad JSON", ["42[\"event\",{\"a\":"]),
        ("JSON that is not an array", ["42{\"event\":1}"]),
        ("100k nested arrays", ["42" + new string('[', 100_000) + new string(']', 100_000)]),
        ("EVENT with a non-string name", ["42[1,\"x\"]"]),
        ("EVENT with no name", ["42[]"]),
        ("unknown packet type", ["47[\"event\"]"]),
        ("CONNECT with an auth that is no object", ["40/other,[1]"]),
        ("DISCONNECT with a payload", ["41[\"bye\"]"]),
        ("ACK with a payload that is no array", ["431{\"a\":1}"]),
        ("ack id that is no number", ["42x[\"event\"]"]),
        ("ack id beyond any integer", ["4299999999999999999999[\"event\"]"]),
        ("attachment count beyond any integer", ["4599999999999999999999-[\"event\"]"]),
        ("namespace without its comma", ["42/custom[\"event\"]"]),
        ("empty Socket.IO packet", ["4"]),
        ("placeholder whose num is a string", ["451-[\"event\",{\"_placeholder\":true,\"num\":\"0\"}]", Binary + "abc"]),
        ("attachment count that is no number", ["45x-[\"event\",{\"_placeholder\":true,\"num\":0}]"]),
        ("more attachments than allowed", ["45100-[\"event\"]"]),
        ("placeholder beyond the attachment count", ["451-[\"event\",{\"_placeholder\":true,\"num\":3}]", Binary + "abc"]),
        ("binary frame when none is due", [Binary + "abc"]),
        ("text frame while attachments are due", ["451-[\"event\",{\"_placeholder\":true,\"num\":0}]", "42[\"event\"]"]),
    ];

    /// <summary>
    /// Every attack over WebSocket and polling through the JSON decoder, and over WebSocket once
    /// more with a raw handler for the attacked event name, so that the splice parser of the raw
    /// path (the relay's) meets it first.
    /// </summary>
    private static IEnumerable<TestCaseData> Cases() =>
        from path in new[] { (WebSocket: true, Raw: false), (WebSocket: false, Raw: false), (WebSocket: true, Raw: true) }
        from attack in Attacks.Select((a, i) => (a.Name, a.Frames, Bystander: (ClientVersion)(i % 4 + 1)))
        select new TestCaseData(attack.Frames, path.WebSocket, path.Raw, attack.Bystander).SetArgDisplayNames(
            attack.Name, path.WebSocket ? "websocket" : "polling", path.Raw ? "raw handler" : "decoder", $"{(int)attack.Bystander}.x bystander");

    [TestCaseSource(nameof(Cases))]
    public async Task Malformed_packet_closes_only_its_own_session(string[] frames, bool webSocket, bool rawHandler, ClientVersion bystanderVersion)
    {
        await using var host = await SocketIoTestHost.StartAsync(h =>
        {
            if (rawHandler)
            {
                h.Io.Sockets.OnRawEvent("event", e => e.Ack("handled raw"));
            }
        });
        var bystander = await host.ConnectAsync(bystanderVersion, TransportMode.WebSocket);
        var bystanderSocket = await host.NextConnectionAsync();
        var (attacker, attackerId) = await RawSession.ConnectAsync(host, webSocket);
        host.Track(attacker);
        var attackerSocket = await host.NextConnectionAsync(s => s.Id == attackerId);

        foreach (var frame in frames)
        {
            if (frame.StartsWith(Binary, StringComparison.Ordinal))
            {
                await attacker.SendBinaryAsync(Encoding.UTF8.GetBytes(frame[Binary.Length..]));
            }
            else
            {
                await attacker.SendAsync(frame);
            }
        }

        Assert.That(await host.DisconnectionOfAsync(attackerSocket), Is.EqualTo(DisconnectReason.ParseError));
        await attacker.WaitForCloseAsync();
        await SocketIoTestHost.AssertEchoAsync(bystander, "after the attack");
        Assert.That(bystanderSocket.Connected, Is.True);
        Assert.That(host.Io.Sockets.SocketCount, Is.EqualTo(1));

        await host.CloseClientsAsync();
        await host.AssertNothingLeftAsync(host.Io.Sockets);
    }

    // The counterpart of the raw-handler cases above: well-formed events do reach the raw handler.
    [TestCase(true)]
    [TestCase(false)]
    public async Task Raw_handler_gets_well_formed_events_with_and_without_attachments(bool webSocket)
    {
        var attachmentCounts = new System.Collections.Concurrent.ConcurrentQueue<int>();
        await using var host = await SocketIoTestHost.StartAsync(h => h.Io.Sockets.OnRawEvent("event", e =>
        {
            attachmentCounts.Enqueue(e.Packet.Attachments);
            e.Ack("handled raw");
        }));
        var session = host.Track((await RawSession.ConnectAsync(host, webSocket)).Session);

        await session.SendAsync("421[\"event\",{\"a\":[1,2]}]");
        Assert.That(await session.ReceiveAsync(), Is.EqualTo("431[\"handled raw\"]"));
        await session.SendAsync("451-2[\"event\",{\"_placeholder\":true,\"num\":0}]");
        await session.SendBinaryAsync([1, 2, 3]);
        Assert.That(await session.ReceiveAsync(), Is.EqualTo("432[\"handled raw\"]"));
        Assert.That(attachmentCounts, Is.EqualTo(new[] { 0, 1 }));
    }

    /// <summary>Packets a 3.x/4.x client never sends in that state: the reference (socket.io 4.8.4, client.js ondecoded) closes the connection.</summary>
    private static readonly (string Name, string[] Frames)[] OutOfStep =
    [
        ("an event after leaving /", ["41", "42[\"echo\",\"after leaving\"]"]),
        ("an event for a namespace never joined", ["42/custom,[\"echo\",\"not joined\"]"]),
        ("an ack for a namespace never joined", ["43/custom,1[\"late\"]"]),
        ("a second CONNECT", ["40"]),
        ("a CONNECT_ERROR from the client", ["44{\"message\":\"no\"}"]),
    ];

    private static IEnumerable<TestCaseData> OutOfStepCases() =>
        from webSocket in new[] { true, false }
        from packet in OutOfStep
        select new TestCaseData(packet.Frames, webSocket).SetArgDisplayNames(packet.Name, webSocket ? "websocket" : "polling");

    [TestCaseSource(nameof(OutOfStepCases))]
    public async Task A_packet_out_of_step_with_the_namespaces_joined_closes_the_connection(string[] frames, bool webSocket)
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Namespace("/custom"));
        var (session, socketId) = await RawSession.ConnectAsync(host, webSocket);
        host.Track(session);
        var socket = await host.NextConnectionAsync(s => s.Id == socketId);

        foreach (var frame in frames)
        {
            await session.SendAsync(frame);
        }

        await session.WaitForCloseAsync();
        var reason = await host.DisconnectionOfAsync(socket);
        Assert.That(reason, Is.EqualTo(frames[0] == "41" ? DisconnectReason.ClientNamespaceDisconnect : DisconnectReason.ForcedServerClose));
        await host.AssertNothingLeftAsync(host.Io.Sockets, host.Io.Of("/custom"));
    }

    /// <summary>
    /// Protocol v4 clients (1.x/2.x) keep the 2.x server's leniency: such packets are ignored, as
    /// a 2.x client that left <c>/</c> and rejoined it sends events for it without a CONNECT.
    /// </summary>
    [Test]
    public async Task Packets_for_a_namespace_not_joined_are_ignored_from_protocol_v4_clients()
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Namespace("/custom"));
        var session = host.Track(await RawSession.OpenAsync(host, webSocket: true, engineIoVersion: 3));
        Assert.That(await session.ReceiveAsync(), Is.EqualTo("40"), "v4 clients are put into / at once");

        await session.SendAsync("42/custom,1[\"echo\",\"not joined\"]");
        await session.SendAsync("41");
        await session.SendAsync("420[\"echo\",\"after leaving\"]");
        await session.SendAsync("40/custom");
        Assert.That(await session.ReceiveAsync(), Is.EqualTo("40/custom,"));
        await session.SendAsync("42/custom,2[\"echo\",\"still here\"]");
        Assert.That(await session.ReceiveAsync(), Is.EqualTo("43/custom,2[\"still here\"]"));
    }
}
