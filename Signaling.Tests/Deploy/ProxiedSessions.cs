using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Deploy;

/// <summary>What the proxy tests do with official clients through a proxy, and check in its log.</summary>
internal static class ProxiedSessions
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>A client connected through the proxy, with a connect timeout fit for a loaded machine.</summary>
    public static Task<NodeSocketClient> ConnectAsync(Uri proxy, NodeClientOptions options) =>
        NodeSocketClient.ConnectAsync(proxy, options with { Timeout = Wait });

    /// <summary>
    /// <paramref name="from"/> relays <paramref name="count"/> candidates to <paramref name="to"/>
    /// (itself, when they are the same client), which must get them all, in order, from its id.
    /// </summary>
    public static async Task RelayAsync(NodeSocketClient from, NodeSocketClient to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await from.EmitAsync("candidate", to.Id, new JObject { ["n"] = i });
        }
        for (var i = 0; i < count; i++)
        {
            var message = await to.NextEventAsync("candidate", Wait);
            Assert.That((string?)message.Args[0], Is.EqualTo(from.Id), $"candidate {i} from {from}");
            Assert.That((int?)message.Args[1]["n"], Is.EqualTo(i), $"candidate {i} from {from}, in order");
        }
    }

    /// <summary>Waits for <paramref name="count"/> heartbeats: on polling, each is a new request of the session.</summary>
    public static async Task HeartbeatsAsync(NodeSocketClient client, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await client.NextWhileConnectedAsync(m => m.Type == "heartbeat", $"heartbeat {i + 1}", Wait);
        }
    }

    /// <summary>Nothing went wrong on the client's side: no error, no disconnect, no reconnect.</summary>
    public static void AssertUninterrupted(NodeSocketClient client) =>
        Assert.That(client.Received.Where(m => m.Type is "connect_error" or "error" or "disconnect" or "engine-close" or "reconnect_attempt" or "driver-error"),
            Is.Empty, $"{client} was interrupted");

    /// <summary>No request was refused, and every request of a session went to one node.</summary>
    public static IReadOnlyDictionary<string, string> AssertSessionsStayedOnOneNode(IReadOnlyList<ProxiedRequest> requests, string log)
    {
        Assert.That(requests.Where(r => r.Target.StartsWith("/socket.io/", StringComparison.Ordinal)), Is.Not.Empty, log);
        Assert.That(requests.Where(r => r.Status == 400), Is.Empty, $"requests refused (400 \"Session ID unknown\"):\n{log}");
        var nodes = requests.Where(r => r.Sid is not null).GroupBy(r => r.Sid!).ToDictionary(g => g.Key, g => g.Select(r => r.Node).Distinct().ToArray());
        Assert.That(nodes.Where(n => n.Value.Length > 1).Select(n => n.Key), Is.Empty, $"sessions whose requests went to more than one node:\n{log}");
        return nodes.ToDictionary(n => n.Key, n => n.Value[0]);
    }
}
