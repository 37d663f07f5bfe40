using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.SocketIo.Adapters;

/// <summary>
/// What every adapter must do, checked with official clients on two nodes of one cluster (a 4.x
/// client on the first, a 2.x client on the second): broadcasts with rooms, exceptions and the
/// local flag, broadcasts with acks, fetchSockets, socketsJoin/Leave and disconnectSockets on
/// the other node's sockets, server-side emits, allRooms and the server count. One subclass per
/// adapter (as SignalR's scale-out lifetime manager tests); on one node the same expectations hold
/// with "the other node" being this one.
/// </summary>
public abstract class AdapterSpecification
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    internal abstract Task<AdapterCluster> StartClusterAsync();

    [Test]
    public async Task Emits_reach_the_sockets_of_every_node_by_room_and_exception_and_local_stays_local()
    {
        await using var cluster = await StartClusterAsync();
        var a = await AdapterCluster.ConnectAsync(cluster.First, ClientVersion.V4);
        var b = await AdapterCluster.ConnectAsync(cluster.Second, ClientVersion.V2);
        var nsp = cluster.First.Io.Sockets;
        a.Socket.Join("red");
        b.Socket.Join("red");
        await AdapterCluster.RoomHeardAsync(b.Socket, "red");

        var step = 0;
        async Task ExpectAsync(string label, Action emit, bool reachesA, bool reachesB)
        {
            emit();
            // Both nodes send the marker after the emit: each client has had the emit, or never will.
            nsp.Emit("marker", ++step);
            Assert.That(await PaintsUntilMarkerAsync(cluster, a.Client, step, reachesA ? label : null), Is.EqualTo(reachesA ? new[] { label } : []), $"{label}: first node's client");
            Assert.That(await PaintsUntilMarkerAsync(cluster, b.Client, step, reachesB ? label : null), Is.EqualTo(reachesB ? new[] { label } : []), $"{label}: second node's client");
        }

        await ExpectAsync("all", () => nsp.Emit("paint", "all"), true, true);
        await ExpectAsync("red", () => nsp.To("red").Emit("paint", "red"), true, true);
        await ExpectAsync("red but b", () => nsp.To("red").Except(b.Socket.Id).Emit("paint", "red but b"), true, false);
        await ExpectAsync("to b", () => nsp.To(b.Socket.Id).Emit("paint", "to b"), false, true);
        await ExpectAsync("nobody", () => nsp.To("nobody").Emit("paint", "nobody"), false, false);
        await ExpectAsync("volatile", () => nsp.Volatile.Emit("paint", "volatile"), true, true);
        await ExpectAsync("local", () => nsp.Local.Emit("paint", "local"), true, !cluster.Distinct);
        await ExpectAsync("from a", () => a.Socket.Broadcast.Emit("paint", "from a"), false, true);
    }

    [Test]
    public async Task A_join_then_an_emit_to_the_room_from_the_other_node_reach_the_socket_in_that_order()
    {
        await using var cluster = await StartClusterAsync();
        var b = await AdapterCluster.ConnectAsync(cluster.Second, ClientVersion.V4);
        var nsp = cluster.First.Io.Sockets;

        for (var step = 1; step <= 200; step++)
        {
            var room = $"room{step}";
            // Not awaited before the emits: they leave right behind it, as a program's next lines would send them.
            var joining = nsp.In(b.Socket.Id).SocketsJoinAsync(room);
            if (!cluster.OrdersAcrossChannels)
            {
                // On the sharded wire the join comes on the main channel and b's node then subscribes to the room's:
                // an emit to the room before that is not heard (Node nodes too), so the emit waits for both.
                await joining;
                await AdapterCluster.RemoteJoinHeardAsync(b.Socket, room);
            }
            nsp.To(room).Emit("paint", room);
            nsp.Emit("marker", step);
            await joining;
            Assert.That(await PaintsUntilMarkerAsync(cluster, b.Client, step, room), Is.EqualTo(new[] { room }), $"round {step}: the emit to the room just joined, before the marker");
        }
    }

    [Test]
    public async Task An_emit_with_acks_gathers_one_answer_per_socket_of_every_node_or_times_out_with_those_that_came()
    {
        await using var cluster = await StartClusterAsync();
        var a = await AdapterCluster.ConnectAsync(cluster.First, ClientVersion.V4);
        var b = await AdapterCluster.ConnectAsync(cluster.Second, ClientVersion.V2);
        var nsp = cluster.First.Io.Sockets;

        var asking = nsp.Timeout(WaitLimit).EmitWithAckAsync("question", 1);
        await AnswerAsync(a.Client, "question", "from a");
        await AnswerAsync(b.Client, "question", "from b");
        Assert.That((await asking).Select(r => (string?)r), Is.EquivalentTo(new[] { "from a", "from b" }));

        var partly = nsp.Timeout(TimeSpan.FromMilliseconds(500)).EmitWithAckAsync("question", 2);
        await AnswerAsync(b.Client, "question", "only b");
        await a.Client.NextEventAsync("question");
        var timedOut = Assert.ThrowsAsync<BroadcastAckTimeoutException>(async () => await partly)!;
        Assert.That(timedOut.Responses.Select(r => (string?)r), Is.EqualTo(new[] { "only b" }));
    }

    [Test]
    public async Task FetchSockets_describes_the_sockets_of_every_node_with_rooms_data_and_handshake()
    {
        await using var cluster = await StartClusterAsync();
        var a = await AdapterCluster.ConnectAsync(cluster.First, ClientVersion.V4);
        var b = await AdapterCluster.ConnectAsync(cluster.Second, ClientVersion.V2);
        a.Socket.Data = new JObject { ["name"] = "alice" };
        b.Socket.Data = new JObject { ["name"] = "bob", ["onlineAt"] = 1_700_000_000_000 };
        b.Socket.Join("red");
        var nsp = cluster.First.Io.Sockets;

        var all = await nsp.FetchSocketsAsync();
        Assert.That(all.Select(s => s.Id), Is.EquivalentTo(new[] { a.Socket.Id, b.Socket.Id }));
        var bSeen = all.Single(s => s.Id == b.Socket.Id);
        JsonAssert.AreEqual(b.Socket.Data, bSeen.Data);
        Assert.That(bSeen.Rooms, Is.EquivalentTo(new[] { b.Socket.Id, "red" }));
        Assert.That((string?)bSeen.Handshake["query"]?["EIO"], Is.EqualTo("3"), "a 2.x client's handshake query");
        Assert.That((string?)bSeen.Handshake["url"], Does.StartWith("/socket.io/"));
        Assert.That(bSeen.Local, cluster.Distinct ? Is.Null : Is.SameAs(b.Socket));
        Assert.That(all.Single(s => s.Id == a.Socket.Id).Local, Is.SameAs(a.Socket));

        Assert.That((await nsp.To("red").FetchSocketsAsync()).Select(s => s.Id), Is.EqualTo(new[] { b.Socket.Id }));
        Assert.That((await nsp.Except("red").FetchSocketsAsync()).Select(s => s.Id), Is.EqualTo(new[] { a.Socket.Id }));
        Assert.That(
            (await nsp.Local.FetchSocketsAsync()).Select(s => s.Id),
            Is.EquivalentTo(cluster.Distinct ? new[] { a.Socket.Id } : [a.Socket.Id, b.Socket.Id]));
    }

    [Test]
    public async Task SocketsJoin_leave_and_disconnect_reach_the_sockets_of_the_other_node()
    {
        await using var cluster = await StartClusterAsync();
        var a = await AdapterCluster.ConnectAsync(cluster.First, ClientVersion.V4);
        var b = await AdapterCluster.ConnectAsync(cluster.Second, ClientVersion.V2);
        var nsp = cluster.First.Io.Sockets;

        await nsp.In(b.Socket.Id).SocketsJoinAsync("blue", "green");
        await EventuallyAsync(() => b.Socket.Rooms.Contains("blue") && b.Socket.Rooms.Contains("green"), "b joined blue and green");
        Assert.That(a.Socket.Rooms, Is.EqualTo(new[] { a.Socket.Id }), "a was not asked");

        await nsp.SocketsJoinAsync("everyone");
        await EventuallyAsync(() => a.Socket.Rooms.Contains("everyone") && b.Socket.Rooms.Contains("everyone"), "all joined everyone");

        await nsp.In("blue").SocketsLeaveAsync("green");
        await EventuallyAsync(() => !b.Socket.Rooms.Contains("green"), "b left green");
        Assert.That(b.Socket.Rooms, Does.Contain("blue"));

        await nsp.In("blue").DisconnectSocketsAsync();
        Assert.That((await b.Client.NextAsync("disconnect")).Reason, Is.EqualTo("io server disconnect"));
        Assert.That(a.Socket.Connected, Is.True);
        await SocketIoTestHost.AssertEchoAsync(a.Client, "a is still here");
    }

    [Test]
    public async Task ServerSideEmit_reaches_the_other_nodes_handlers_and_gathers_their_answers()
    {
        await using var cluster = await StartClusterAsync();
        var heardByFirst = new MessageInbox<JArray>();
        var heardBySecond = new MessageInbox<JArray>();
        cluster.First.Io.Sockets.OnServerSideEmit("hello", e => heardByFirst.Post(e.Args));
        cluster.Second.Io.Sockets.OnServerSideEmit("hello", e =>
        {
            heardBySecond.Post(e.Args);
            e.Ack(new JObject { ["from"] = "second", ["got"] = e.Args[0] });
        });
        await cluster.First.Io.Sockets.Ready;
        await cluster.Second.Io.Sockets.Ready;

        cluster.First.Io.Sockets.ServerSideEmit("hello", 1, "x");
        var answers = await cluster.First.Io.Sockets.ServerSideEmitWithAckAsync("hello", [2]);
        if (cluster.Distinct)
        {
            JsonAssert.AreEqual(new JArray(1, "x"), await heardBySecond.TakeAsync(_ => true, WaitLimit));
            JsonAssert.AreEqual(new JArray(2), await heardBySecond.TakeAsync(_ => true, WaitLimit));
            JsonAssert.AreEqual(new JArray(new JObject { ["from"] = "second", ["got"] = 2 }), new JArray(answers));
        }
        else
        {
            Assert.That(answers, Is.Empty, "no other node");
        }
        Assert.That(heardByFirst.All, Is.Empty, "a node does not hear its own server-side emits");
    }

    [Test]
    public async Task AllRooms_and_the_server_count_cover_every_node()
    {
        await using var cluster = await StartClusterAsync();
        var a = await AdapterCluster.ConnectAsync(cluster.First, ClientVersion.V4);
        var b = await AdapterCluster.ConnectAsync(cluster.Second, ClientVersion.V2);
        a.Socket.Join("red");
        b.Socket.Join("green");

        var rooms = await cluster.First.Io.Sockets.AllRoomsAsync();
        Assert.That(rooms, Is.EquivalentTo(new[] { a.Socket.Id, b.Socket.Id, "red", "green" }));
        Assert.That(await cluster.First.Io.Sockets.ServerCountAsync(), Is.EqualTo(cluster.Distinct ? 2 : 1));
    }

    private static async Task AnswerAsync(NodeSocketClient client, string eventName, string answer)
    {
        var question = await client.NextEventAsync(eventName);
        Assert.That(question.AckId, Is.Not.Null, $"{client} was asked for an ack");
        await client.AckAsync(question.AckId!.Value, answer);
    }

    /// <summary>
    /// The paint labels a client got before marker <paramref name="step"/>. Where the nodes do not keep the order of
    /// arrival across channels (<see cref="AdapterCluster.OrdersAcrossChannels"/>: a sharded node's room channel and
    /// main channel are separate subscriptions), it also reads on after the marker until <paramref name="expected"/> came.
    /// </summary>
    private static async Task<string[]> PaintsUntilMarkerAsync(AdapterCluster cluster, NodeSocketClient client, int step, string? expected)
    {
        var waitFor = cluster.OrdersAcrossChannels ? null : expected;
        var got = new List<string>();
        var marked = false;
        while (!marked || (waitFor is not null && !got.Contains(waitFor)))
        {
            var message = await client.NextWhileConnectedAsync(m => m.Type == "event" && m.Name is "paint" or "marker", "paint or marker");
            if (message.Name == "marker")
            {
                Assert.That((int)message.Args[0], Is.EqualTo(step), "markers in order");
                marked = true;
                continue;
            }
            got.Add((string)message.Args[0]!);
        }
        return [.. got];
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {WaitLimit.TotalSeconds} s: {what}");
            }
            await Task.Delay(10);
        }
    }
}
