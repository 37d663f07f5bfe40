using Signaling.Server.SocketIo;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.SocketIo;

/// <summary>
/// Rooms with one client of each generation in the same namespace: who an emit to a room, with
/// exceptions or from a socket reaches. After each emit the server sends every socket a numbered
/// marker; a connection delivers in order, so what a client got before the marker is all it got.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RoomTests
{
    private static readonly TransportMode[] Transports = Enum.GetValues<TransportMode>();

    [TestCaseSource(nameof(Transports))]
    public async Task Emits_to_rooms_reach_exactly_their_members(TransportMode transport)
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var nsp = host.Io.Sockets;
        var members = new List<(NodeSocketClient Client, SocketIoSocket Socket)>();
        foreach (var version in Enum.GetValues<ClientVersion>())
        {
            var client = await host.ConnectAsync(version, transport);
            members.Add((client, await host.NextConnectionAsync()));
        }

        var (a, b, c, d) = (members[0], members[1], members[2], members[3]);
        a.Socket.Join("red");
        b.Socket.Join("red");
        c.Socket.Join("red");
        c.Socket.Join("blue");
        Assert.That(a.Socket.Rooms, Is.EquivalentTo(new[] { a.Socket.Id, "red" }), "a socket is in its own id room and the ones it joined");

        var step = 0;
        async Task ExpectAsync(string label, Action emit, params (NodeSocketClient Client, SocketIoSocket Socket)[] reached)
        {
            emit();
            nsp.Emit("marker", ++step);
            foreach (var (client, socket) in members)
            {
                var got = await PaintsBeforeMarkerAsync(client, step);
                Assert.That(got, Is.EqualTo(reached.Any(r => r.Socket == socket) ? new[] { label } : []), $"{label}: what {client} got");
            }
        }

        await ExpectAsync("to red", () => nsp.To("red").Emit("paint", "to red"), a, b, c);
        await ExpectAsync("red except blue", () => nsp.To("red").Except("blue").Emit("paint", "red except blue"), a, b);
        await ExpectAsync("red or blue", () => nsp.To("red").To("blue").Emit("paint", "red or blue"), a, b, c);
        await ExpectAsync("all but red", () => nsp.Except("red").Emit("paint", "all but red"), d);
        await ExpectAsync("from a to red", () => a.Socket.To("red").Emit("paint", "from a to red"), b, c);
        await ExpectAsync("broadcast from a", () => a.Socket.Broadcast.Emit("paint", "broadcast from a"), b, c, d);
        await ExpectAsync("to d's id", () => nsp.To(d.Socket.Id).Emit("paint", "to d's id"), d);
        await ExpectAsync("nobody's room", () => nsp.To("nobody").Emit("paint", "nobody's room"));

        b.Socket.Leave("red");
        await ExpectAsync("red after b left", () => nsp.To("red").Emit("paint", "red after b left"), a, c);

        // A socket that ends leaves every room, its own id room included.
        await a.Client.DisconnectAsync();
        Assert.That(await host.DisconnectionOfAsync(a.Socket), Is.EqualTo(DisconnectReason.ClientNamespaceDisconnect));
        Assert.That(nsp.Adapter.RoomsOf(a.Socket.Id), Is.Empty, "rooms of the ended socket");
        Assert.That(a.Socket.Rooms, Is.Empty);
        members.Remove(a);
        await ExpectAsync("red after a ended", () => nsp.To("red").Emit("paint", "red after a ended"), c);
    }

    // Handlers often join after an await, by which time the client may be gone: such a join
    // must not put the ended socket back into the adapter, where nothing would take it out.
    [Test]
    public async Task Join_after_the_socket_ended_leaves_nothing_in_the_adapter()
    {
        await using var host = await SocketIoTestHost.StartAsync();
        var client = await host.ConnectAsync(ClientVersion.V4, TransportMode.WebSocket);
        var socket = await host.NextConnectionAsync();
        socket.Join("early");
        await client.DisconnectAsync();
        await host.DisconnectionOfAsync(socket);

        socket.Join("late");

        Assert.That(host.Io.Sockets.Adapter.RoomsOf(socket.Id), Is.Empty);
        Assert.That(socket.Rooms, Is.Empty);
    }

    [Test]
    public async Task Rooms_are_per_namespace()
    {
        await using var host = await SocketIoTestHost.StartAsync(h => h.Namespace("/other"));
        var inMain = await host.ConnectAsync(ClientVersion.V4, TransportMode.WebSocket);
        var mainSocket = await host.NextConnectionAsync();
        var inOther = await host.ConnectAsync(ClientVersion.V2, TransportMode.WebSocket, o => o with { Namespace = "/other" });
        var otherSocket = await host.NextConnectionAsync(s => s.Namespace.Name == "/other");
        mainSocket.Join("shared");
        otherSocket.Join("shared");

        host.Io.Of("/other").To("shared").Emit("paint", "other only");
        host.Io.Sockets.To("shared").Emit("paint", "main only");

        Assert.That((await inOther.NextEventAsync("paint")).Args[0].ToString(), Is.EqualTo("other only"));
        Assert.That((await inMain.NextEventAsync("paint")).Args[0].ToString(), Is.EqualTo("main only"));
        await SocketIoTestHost.AssertEchoAsync(inOther, "no more paint before this");
        Assert.That(inOther.Received.Count(m => m.Name == "paint"), Is.EqualTo(1));
    }

    /// <summary>The paint events the client got between markers <paramref name="step"/>−1 and <paramref name="step"/>.</summary>
    private static async Task<string[]> PaintsBeforeMarkerAsync(NodeSocketClient client, int step)
    {
        await client.NextAsync(m => m.Type == "event" && m.Name == "marker" && (int)m.Args[0] == step, $"marker {step}");
        var received = client.Received;
        var from = received.ToList().FindIndex(m => m.Name == "marker" && (int)m.Args[0] == step - 1);
        var to = received.ToList().FindIndex(m => m.Name == "marker" && (int)m.Args[0] == step);
        return [.. received.Skip(from + 1).Take(to - from - 1).Where(m => m.Name == "paint").Select(m => m.Args[0].ToString())];
    }
}
