using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>Waiting for the <c>online</c> list a client of a cluster node should end with.</summary>
internal static class PresenceLists
{
    /// <summary>The next list the client receives that <paramref name="matches"/>, within the timeout.</summary>
    public static async Task<JArray> NextAsync(NodeSocketClient client, Func<JArray, bool> matches, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? NodeSocketClient.DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var list = (JArray)(await client.NextEventAsync("online", left > TimeSpan.Zero ? left : TimeSpan.Zero)).Args[0];
            if (matches(list))
            {
                return list;
            }
        }
    }

    /// <summary><paramref name="first"/> goes online, then <paramref name="second"/>: both end with the two, oldest first.</summary>
    public static async Task BothOnlineAsync(NodeSocketClient first, string firstName, NodeSocketClient second, string secondName)
    {
        await first.EmitAsync("online", firstName);
        await NextAsync(first, l => l.Count == 1);
        await second.EmitAsync("online", secondName);
        foreach (var client in new[] { first, second })
        {
            var list = await NextAsync(client, l => l.Count == 2);
            Assert.That(list.Select(e => (string?)e["id"]), Is.EqualTo(new[] { first.Id, second.Id }), $"{client}'s list, oldest first");
            Assert.That(list.Select(e => (string?)e["name"]), Is.EqualTo(new[] { firstName, secondName }));
        }
    }
}
