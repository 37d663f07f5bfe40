using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Relay;

/// <summary>
/// Base of the relay tests: our server running its <c>serve</c> command (the relay of
/// docs/SIGNALING.md), fresh for each test so the presence list holds only that test's users.
/// </summary>
public abstract class RelayFixture
{
    private InProcessServer? _server;
    private readonly List<NodeSocketClient> _clients = [];

    protected Uri ServerUrl => (_server ?? throw new InvalidOperationException("Started in SetUp.")).BaseUrl;

    [SetUp]
    public async Task StartServerAsync() => _server = await InProcessServer.StartAsync(["serve"]);

    [TearDown]
    public async Task StopServerAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        _clients.Clear();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>An official client connected to <c>/</c>, closed after the test.</summary>
    protected async Task<NodeSocketClient> ConnectAsync(ClientVersion version, TransportMode transport = TransportMode.WebSocket)
    {
        var client = await NodeSocketClient.ConnectAsync(ServerUrl, new NodeClientOptions(version, transport));
        _clients.Add(client);
        return client;
    }

    /// <summary>Announces the client online and waits for its own list that includes it.</summary>
    protected static async Task<JArray> GoOnlineAsync(NodeSocketClient client, JToken? name)
    {
        await client.EmitAsync("online", name is null ? [] : [name]);
        return await NextListContainingAsync(client, client.Id!);
    }

    /// <summary>The next <c>online</c> list the client receives that includes <paramref name="id"/>.</summary>
    protected static async Task<JArray> NextListContainingAsync(NodeSocketClient client, string id)
    {
        while (true)
        {
            var list = (JArray)(await client.NextEventAsync("online")).Args[0];
            if (list.Any(entry => (string?)entry["id"] == id))
            {
                return list;
            }
        }
    }

    protected static string[] Ids(JArray list) => [.. list.Select(entry => (string)entry["id"]!)];
}
