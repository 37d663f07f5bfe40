using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Relay;

/// <summary>The <c>online</c> presence list of docs/SIGNALING.md, with the official clients.</summary>
[Parallelizable(ParallelScope.Children)]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class PresenceTests : RelayFixture
{
    [TestCaseSource(typeof(ClientMatrix), nameof(ClientMatrix.All))]
    public async Task Everyone_gets_the_whole_list_oldest_first(ClientVersion version, TransportMode transport)
    {
        var first = await ConnectAsync(ClientVersion.V4);
        var second = await ConnectAsync(version, transport);
        await GoOnlineAsync(first, "Alice");
        var seenBySecond = await GoOnlineAsync(second, "Bob");
        var seenByFirst = await NextListContainingAsync(first, second.Id!);

        var expected = new JArray(
            new JObject { ["id"] = first.Id, ["name"] = "Alice" },
            new JObject { ["id"] = second.Id, ["name"] = "Bob" });
        Assert.That(JToken.DeepEquals(seenBySecond, expected), Is.True, seenBySecond.ToString());
        Assert.That(JToken.DeepEquals(seenByFirst, expected), Is.True, seenByFirst.ToString());
    }

    [Test]
    public async Task Sending_online_again_renames_in_place()
    {
        var alice = await ConnectAsync(ClientVersion.V4);
        var bob = await ConnectAsync(ClientVersion.V2);
        await GoOnlineAsync(alice, "Alice");
        await GoOnlineAsync(bob, "Bob");
        await alice.EmitAsync("online", new JObject { ["name"] = "Alicia" });

        var list = await NextMatchingAsync(bob, l => (string?)l[0]?["name"] == "Alicia");
        Assert.That(Ids(list), Is.EqualTo(new[] { alice.Id, bob.Id }));
    }

    [Test]
    public async Task Leaving_announces_the_list_without_the_leaver()
    {
        var alice = await ConnectAsync(ClientVersion.V1, TransportMode.Polling);
        var bob = await ConnectAsync(ClientVersion.V4);
        await GoOnlineAsync(alice, "Alice");
        await GoOnlineAsync(bob, "Bob");
        var aliceId = alice.Id!;
        await alice.DisposeAsync();

        var list = await NextMatchingAsync(bob, l => l.All(e => (string?)e["id"] != aliceId));
        Assert.That(Ids(list), Is.EqualTo(new[] { bob.Id }));
    }

    [TestCase("42", TestName = "A number counts as no name")]
    [TestCase("{\"name\":{\"nested\":[1,2]}}", TestName = "An object whose name is not a string counts as no name")]
    [TestCase("[[[[[[[[\"deep\"]]]]]]]]", TestName = "Nested arrays count as no name")]
    [TestCase("null", TestName = "Null counts as no name")]
    public async Task A_name_that_is_not_a_string_becomes_the_socket_id(string json)
    {
        var client = await ConnectAsync(ClientVersion.V3);
        var list = await GoOnlineAsync(client, JToken.Parse(json));
        Assert.That((string?)list.Single()["name"], Is.EqualTo(client.Id));
    }

    [Test]
    public async Task No_name_at_all_becomes_the_socket_id()
    {
        var client = await ConnectAsync(ClientVersion.V1);
        var list = await GoOnlineAsync(client, null);
        Assert.That((string?)list.Single()["name"], Is.EqualTo(client.Id));
    }

    [Test]
    public async Task A_name_is_trimmed_and_cut_to_100_characters()
    {
        var client = await ConnectAsync(ClientVersion.V4);
        var list = await GoOnlineAsync(client, "   " + new string('n', 250) + "  ");
        Assert.That((string?)list.Single()["name"], Is.EqualTo(new string('n', 100)));
    }

    [Test]
    public async Task A_burst_of_arrivals_ends_with_everyone_holding_the_full_list()
    {
        var versions = Enum.GetValues<ClientVersion>();
        var clients = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => ConnectAsync(versions[i % versions.Length])));
        await Task.WhenAll(clients.Select((c, i) => c.EmitAsync("online", $"user {i}")));
        var everyone = clients.Select(c => c.Id!).ToHashSet();

        foreach (var client in clients)
        {
            var list = await NextMatchingAsync(client, l => l.Count == clients.Length);
            Assert.That(Ids(list).ToHashSet().SetEquals(everyone), Is.True, list.ToString());
        }
    }

    private static async Task<JArray> NextMatchingAsync(NodeSocketClient client, Func<JArray, bool> matches)
    {
        while (true)
        {
            var list = (JArray)(await client.NextEventAsync("online")).Args[0];
            if (matches(list))
            {
                return list;
            }
        }
    }
}
