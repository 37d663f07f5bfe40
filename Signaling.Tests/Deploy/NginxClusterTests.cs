using Newtonsoft.Json.Linq;
using Signaling.Tests.Cluster;
using Signaling.Tests.Infrastructure;
using static Signaling.Tests.Deploy.ProxiedSessions;

namespace Signaling.Tests.Deploy;

/// <summary>
/// deploy/nginx/webrtc-signaling.conf (sticky by <c>hash $remote_addr consistent</c>) in front of
/// two of our nodes that are one cluster on a real redis-server. Polling-only official clients
/// connect from several loopback addresses, so that the hash sends them to both nodes; they must
/// see each other in their lists and relay to each other across the nodes.
/// </summary>
[TestFixture]
[NonParallelizable] // redis-server, two server processes, nginx and several Node clients at once
public sealed class NginxClusterTests
{
    // The clients' addresses start past nginx's own (NginxProxy.ProxyAddress, 127.0.0.3).
    private const int FirstClientHost = 10;
    private const int LastClientHost = 60;

    [Test]
    public async Task Polling_clients_hashed_to_both_nodes_share_presence_and_relay_500_candidates_in_order_across_them()
    {
        var certificate = SelfSignedCertificate.Create();
        await using var redis = await RedisServer.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(
            $"--Server:ForwardedHeaders:KnownProxies:0={NginxProxy.ProxyAddress}", $"--Redis:Configuration={redis.Configuration}");
        await using var nginx = await NginxProxy.StartAsync(nodes.Urls, certificate);
        var placed = new Dictionary<(string Node, ClientVersion Version), NodeSocketClient>();
        try
        {
            await PlaceClientsAsync(nginx, certificate, placed);
            var node = placed.Keys.Select(k => k.Node).Distinct().ToArray();
            var (a4, a2) = (placed[(node[0], ClientVersion.V4)], placed[(node[0], ClientVersion.V2)]);
            var (b4, b2) = (placed[(node[1], ClientVersion.V4)], placed[(node[1], ClientVersion.V2)]);
            NodeSocketClient[] everyone = [a4, a2, b4, b2];

            // All at once, from both nodes: each node's changes must reach the other node's lists.
            var names = everyone.ToDictionary(c => c.Id!, c => $"{(int)c.Options.Version}.x from {c.Options.LocalAddress}");
            await Task.WhenAll(everyone.Select(c => c.EmitAsync("online", names[c.Id!])));
            var lists = await Task.WhenAll(everyone.Select(c => PresenceLists.NextAsync(c, l => l.Count == everyone.Length, TimeSpan.FromSeconds(20))));
            foreach (var list in lists)
            {
                Assert.That(list.ToDictionary(e => (string)e["id"]!, e => (string)e["name"]!), Is.EquivalentTo(names));
                JsonAssert.AreEqual(lists[0], list);
            }

            // Each client sends to one on the other node and hears from it: both ways, both versions.
            await Task.WhenAll(RelayAsync(a4, b2, 500), RelayAsync(b2, a4, 500), RelayAsync(b4, a2, 500), RelayAsync(a2, b4, 500));

            foreach (var client in everyone)
            {
                AssertUninterrupted(client);
                Assert.That(client.Transport, Is.EqualTo("polling"), $"{client}");
            }
            var sessions = AssertSessionsStayedOnOneNode(nginx.Requests, nginx.AccessLog);
            Assert.That(everyone.Select(c => sessions[c.SessionId!]).Distinct(), Has.Exactly(2).Items, nginx.AccessLog);
        }
        finally
        {
            await new AsyncDisposables(placed.Values).DisposeAsync();
        }
    }

    /// <summary>
    /// Clients from 127.0.0.10, .11, ... in turn, 4.x and 2.x alternately, each kept if it is the
    /// first of its version on the node nginx hashed its address to, until both nodes have one of
    /// each (where an address lands depends on the nodes' ports, chosen afresh by every run).
    /// </summary>
    private static async Task PlaceClientsAsync(NginxProxy nginx, SelfSignedCertificate certificate, Dictionary<(string Node, ClientVersion Version), NodeSocketClient> placed)
    {
        for (var host = FirstClientHost; placed.Count < 4; host++)
        {
            Assert.That(host, Is.LessThanOrEqualTo(LastClientHost), $"addresses up to 127.0.0.{LastClientHost} did not give each node a 4.x and a 2.x client:\n{nginx.AccessLog}");
            var version = host % 2 == 0 ? ClientVersion.V4 : ClientVersion.V2;
            var client = await ConnectAsync(nginx.HttpsUrl, new NodeClientOptions(version, TransportMode.Polling)
            {
                CertificateAuthority = certificate.CertificatePem,
                LocalAddress = $"127.0.0.{host}",
            });
            var kept = false;
            try
            {
                // A session's requests are logged as they end; a long-poll ends within the ping interval.
                await Eventually.AssertAsync(() => nginx.Requests.Any(r => r.Sid == client.SessionId), $"a request of {client}'s session in nginx's log", TimeSpan.FromSeconds(20));
                kept = placed.TryAdd((nginx.Requests.First(r => r.Sid == client.SessionId).Node, version), client);
            }
            finally
            {
                if (!kept)
                {
                    await client.DisposeAsync();
                }
            }
        }
    }
}
