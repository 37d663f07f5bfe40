using System.Diagnostics;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Hosting;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>
/// Two of our servers, each its own process running <c>serve</c>, on one redis-server of the
/// test, with official clients (4.x and 2.x) on different nodes: the relay and presence of
/// docs/SIGNALING.md across the cluster, and nodes that stop or die.
/// </summary>
[TestFixture(false, TestName = "Classic")]
[TestFixture(true, TestName = "Sharded")]
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class ClusterNodeTests(bool sharded) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    [Test]
    public async Task A_relayed_event_reaches_a_target_on_the_other_node_with_the_senders_id_in_order()
    {
        var (first, second) = await StartClusterAsync();
        var alice = await ConnectAsync(first, ClientVersion.V4);
        var bob = await ConnectAsync(second, ClientVersion.V2);
        await GoOnlineAsync(alice, "Alice");
        await GoOnlineAsync(bob, "Bob", alice.Id!);
        await PresenceLists.NextAsync(alice, l => l.Count == 2);

        var offer = new JObject { ["type"] = "offer", ["sdp"] = "v=0..." };
        JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await alice.EmitWithAckAsync("offer", bob.Id, offer));
        JsonAssert.AreEqual(new JArray(alice.Id!, offer), (await bob.NextEventAsync("offer")).Args);
        await bob.EmitAsync("answer", alice.Id, new JObject { ["type"] = "answer" });
        JsonAssert.AreEqual(new JArray(bob.Id!, new JObject { ["type"] = "answer" }), RecoveredEvents.WithoutOffset((await alice.NextEventAsync("answer")).Args));

        const int candidates = 500;
        for (var i = 0; i < candidates; i++)
        {
            await alice.EmitAsync("candidate", bob.Id, new JObject { ["n"] = i });
        }
        for (var i = 0; i < candidates; i++)
        {
            var got = (await bob.NextEventAsync("candidate")).Args;
            Assert.That((string?)got[0], Is.EqualTo(alice.Id));
            Assert.That((int)got[1]!["n"]!, Is.EqualTo(i), "candidates in the order sent");
        }
    }

    [Test]
    public async Task A_target_on_no_node_is_unknown_and_one_that_never_went_online_is_found_on_its_node()
    {
        var (first, second) = await StartClusterAsync();
        var alice = await ConnectAsync(first, ClientVersion.V4);
        var quiet = await ConnectAsync(second, ClientVersion.V4);

        JsonAssert.AreEqual(new JArray(new JObject { ["ok"] = true }), await alice.EmitWithAckAsync("request chat", quiet.Id));
        JsonAssert.AreEqual(new JArray(alice.Id!), RecoveredEvents.WithoutOffset((await quiet.NextEventAsync("request chat")).Args));

        const string nobody = "AAAAAAAAAAAAAAAAAAAA";
        JsonAssert.AreEqual(new JArray(new JObject { ["error"] = "unknown-target" }), await alice.EmitWithAckAsync("offer", nobody, new JObject()));
        await alice.EmitAsync("hangup", nobody);
        // The error is the first argument; a 4.x client gets the recovery offset after it.
        JsonAssert.AreEqual(
            new JObject { ["event"] = "hangup", ["to"] = nobody, ["reason"] = "unknown-target" },
            (await alice.NextEventAsync("signaling error")).Args[0]);
    }

    [Test]
    public async Task Presence_is_cluster_wide_oldest_first_and_a_stopped_node_leaves_at_once()
    {
        var (first, second) = await StartClusterAsync();
        var alice = await ConnectAsync(first, ClientVersion.V4);
        var bob = await ConnectAsync(second, ClientVersion.V2);
        var carol = await ConnectAsync(first, ClientVersion.V2);
        await GoOnlineAsync(alice, "Alice", alice.Id!);
        await GoOnlineAsync(bob, "Bob", alice.Id!);
        await GoOnlineAsync(carol, "Carol", alice.Id!, bob.Id!);

        var expected = new[] { alice.Id, bob.Id, carol.Id };
        foreach (var client in new[] { alice, bob })
        {
            var list = await PresenceLists.NextAsync(client, l => l.Count == 3);
            Assert.That(list.Select(e => (string?)e["id"]), Is.EqualTo(expected), $"{client}'s list, oldest first");
            Assert.That(list.Select(e => (string?)e["name"]), Is.EqualTo(new[] { "Alice", "Bob", "Carol" }));
        }

        var stopping = Stopwatch.StartNew();
        second.Process.Terminate();
        var after = await PresenceLists.NextAsync(alice, l => l.Count == 2, TimeSpan.FromSeconds(5));
        Assert.That(after.Select(e => (string?)e["id"]), Is.EqualTo(new[] { alice.Id, carol.Id }));
        TestContext.Out.WriteLine($"A stopped node's users left the list after {stopping.ElapsedMilliseconds} ms");
    }

    [Test]
    public async Task A_killed_node_leaves_the_list_within_15_seconds()
    {
        var (first, second) = await StartClusterAsync();
        var alice = await ConnectAsync(first, ClientVersion.V4);
        var bob = await ConnectAsync(second, ClientVersion.V4);
        await GoOnlineAsync(alice, "Alice", alice.Id!);
        await GoOnlineAsync(bob, "Bob", alice.Id!);
        await PresenceLists.NextAsync(alice, l => l.Count == 2);

        var killed = Stopwatch.StartNew();
        Process.GetProcessById(second.Process.Id).Kill();
        var after = await PresenceLists.NextAsync(alice, l => l.Count == 1, TimeSpan.FromSeconds(15));
        Assert.That(after.Select(e => (string?)e["id"]), Is.EqualTo(new[] { alice.Id }));
        TestContext.Out.WriteLine($"A killed node's users left the list after {killed.ElapsedMilliseconds} ms");
    }

    public async ValueTask DisposeAsync()
    {
        _owned.Reverse();
        var owned = _owned.ToArray();
        _owned.Clear();
        await new AsyncDisposables(owned).DisposeAsync();
    }

    private async Task<(Node First, Node Second)> StartClusterAsync()
    {
        var redis = await RedisServer.StartAsync();
        _owned.Add(redis);
        return (await StartNodeAsync(redis), await StartNodeAsync(redis));
    }

    private async Task<Node> StartNodeAsync(RedisServer redis)
    {
        var (process, url) = await ServerProcess.StartAsync("serve", $"--Redis:Configuration={redis.Configuration}", $"--Redis:Sharded={sharded}");
        _owned.Add(process);
        return new Node(process, url);
    }

    private async Task<NodeSocketClient> ConnectAsync(Node node, ClientVersion version)
    {
        var client = await NodeSocketClient.ConnectAsync(node.Url, new NodeClientOptions(version, TransportMode.WebSocket));
        _owned.Add(client);
        return client;
    }

    /// <summary>Goes online and waits for a list of its own that holds every id in <paramref name="seen"/>.</summary>
    private static async Task GoOnlineAsync(NodeSocketClient client, string name, params string[] seen)
    {
        await client.EmitAsync("online", name);
        await PresenceLists.NextAsync(client, l => seen.All(id => l.Any(e => (string?)e["id"] == id)) && l.Any(e => (string?)e["id"] == client.Id));
    }

    private sealed record Node(ServerProcess Process, Uri Url);
}
