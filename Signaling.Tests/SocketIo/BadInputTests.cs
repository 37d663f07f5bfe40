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
        ("attachment count that is no number", ["45x-[\"event\",{\"_placeholder\":true,\"num\":0}]"]),
        ("more attachments than allowed", ["45100-[\"event\"]"]),
        ("placeholder beyond the attachment count", ["451-[\"event\",{\"_placeholder\":true,\"num\":3}]", Binary + "abc"]),
        ("binary frame when none is due", [Binary + "abc"]),
        ("text frame while attachments are due", ["451-[\"event\",{\"_placeholder\":true,\"num\":0}]", "42[\"event\"]"]),
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        from transport in new[] { "websocket", "polling" }
        from attack in Attacks.Select((a, i) => (a.Name, a.Frames, Bystander: (ClientVersion)(i % 4 + 1)))
        select new TestCaseData(attack.Frames, transport == "websocket", attack.Bystander).SetArgDisplayNames(attack.Name, transport, $"{(int)attack.Bystander}.x bystander");

    [TestCaseSource(nameof(Cases))]
    public async Task Malformed_packet_closes_only_its_own_session(string[] frames, bool webSocket, ClientVersion bystanderVersion)
    {
        await using var host = await SocketIoTestHost.StartAsync();
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

    [TestCase(true)]
    [TestCase(false)]
    public async Task Packets_for_a_namespace_not_joined_are_ignored(bool webSocket)
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Namespace("/custom"));
        var (session, _) = await RawSession.ConnectAsync(host, webSocket);
        host.Track(session);

        await session.SendAsync("42/custom,1[\"echo\",\"not joined\"]");
        await session.SendAsync("420[\"echo\",\"still here\"]");

        Assert.That(await session.ReceiveAsync(), Is.EqualTo("430[\"still here\"]"));
    }
}
