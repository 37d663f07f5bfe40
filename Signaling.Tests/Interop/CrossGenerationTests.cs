using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;
using static Signaling.Tests.Infrastructure.BinaryJson;

namespace Signaling.Tests.Interop;

/// <summary>Clients of every generation (Engine.IO 3 and 4 side by side) on one server at once.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CrossGenerationTests : ServerFixture
{
    private const int MessagesEach = 25;

    private static readonly ClientVersion[] Generations = Enum.GetValues<ClientVersion>();

    /// <summary>Every generation on one transport mode, then a mix where each uses a different one.</summary>
    public static IEnumerable<TestCaseData> Lineups()
    {
        foreach (var transport in Enum.GetValues<TransportMode>())
        {
            yield return new TestCaseData((object)Generations.Select(_ => transport).ToArray()).SetArgDisplayNames($"all {transport}");
        }

        TransportMode[] mixed = [TransportMode.Polling, TransportMode.WebSocket, TransportMode.PollingThenUpgrade, TransportMode.Polling];
        yield return new TestCaseData((object)mixed).SetArgDisplayNames("1.x Polling, 2.x WebSocket, 3.x Upgrade, 4.x Polling");
    }

    public static IEnumerable<TestCaseData> Pairs()
    {
        yield return new TestCaseData(ClientVersion.V1, ClientVersion.V4).SetArgDisplayNames("1.x leaves, 4.x stays");
        yield return new TestCaseData(ClientVersion.V4, ClientVersion.V1).SetArgDisplayNames("4.x leaves, 1.x stays");
        yield return new TestCaseData(ClientVersion.V2, ClientVersion.V3).SetArgDisplayNames("2.x leaves, 3.x stays");
    }

    [TestCaseSource(nameof(Lineups))]
    public async Task All_generations_at_once_each_get_exactly_their_own_traffic(TransportMode[] transports)
    {
        // Half the clients on /custom, so namespaces are exercised across generations too.
        var clients = await ConnectAllAsync(Generations.Select((version, i) =>
            new NodeClientOptions(version, transports[i]) { Namespace = i % 2 == 0 ? "/" : "/custom" }));
        await using var _ = new AsyncDisposables(clients);

        Assert.That(clients.Select(c => c.Id).Distinct().Count(), Is.EqualTo(clients.Length), "socket ids must be distinct");

        await Task.WhenAll(clients.Select(ExchangeOwnTrafficAsync));
    }

    [TestCaseSource(nameof(Pairs))]
    public async Task One_generation_leaving_does_not_disturb_another(ClientVersion leaving, ClientVersion staying)
    {
        var clients = await ConnectAllAsync([
            new NodeClientOptions(leaving, TransportMode.PollingThenUpgrade),
            new NodeClientOptions(staying, TransportMode.PollingThenUpgrade),
        ]);
        await using var _ = new AsyncDisposables(clients);
        var (leaver, stayer) = (clients[0], clients[1]);

        var stayerTraffic = ExchangeOwnTrafficAsync(stayer);
        Assert.That(await leaver.DisconnectAsync(), Is.EqualTo("io client disconnect"));
        await stayerTraffic;

        // Still alive after the other left, on every path: plain event, ack and binary.
        await ExchangeOwnTrafficAsync(stayer);
        Assert.That(stayer.Received.Where(m => m.Type == "disconnect"), Is.Empty, "the staying client was disconnected");
    }

    private async Task<NodeSocketClient[]> ConnectAllAsync(IEnumerable<NodeClientOptions> options)
    {
        var connecting = options.Select(o => NodeSocketClient.ConnectAsync(Server.BaseUrl, o)).ToArray();
        try
        {
            return await Task.WhenAll(connecting);
        }
        catch
        {
            // Do not leave the ones that did connect running.
            await new AsyncDisposables(connecting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)).DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends tagged events (text, JSON and a binary that differs per client) and acks, then checks
    /// that the echoes are this client's own, all of them, in order.
    /// </summary>
    private static async Task ExchangeOwnTrafficAsync(NodeSocketClient client)
    {
        var tag = $"{client.Options.Version} on {client.Options.Namespace} as {client.Id}";
        var sent = Enumerable.Range(0, MessagesEach)
            .Select(i => new JArray(tag, i, new JObject { ["bytes"] = Binary([(byte)client.Options.Version, (byte)i, 0xff]) }))
            .ToList();

        foreach (var args in sent)
        {
            await client.EmitAsync("message", [.. args]);
        }

        var ack = await client.EmitWithAckAsync("message-with-ack", tag, Binary([(byte)client.Options.Version]));
        JsonAssert.AreEqual(new JArray(tag, Binary([(byte)client.Options.Version])), ack, $"ack for {tag}");

        foreach (var args in sent)
        {
            var echo = await client.NextEventAsync("message-back");
            JsonAssert.AreEqual(args, echo.Args, $"echo {args[1]} for {tag}");
        }
    }
}
