using System.Text.Json;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;
using SocketIOClient;
using SocketIOClient.Transport;

namespace Signaling.Tests.Interop;

/// <summary>The same basic flow with a non-JavaScript client: the SocketIOClient 3.0.6 package for .NET.</summary>
/// <remarks>
/// On a loaded machine this client now and then never reports an echo or its own disconnect
/// (1 run of these 24 tests in 3–4 with four CPU hogs running), as often against the Node.js
/// reference server (SIGNALING_TEST_SERVER=reference) as against ours, and also with the tests
/// run one at a time: the client's own race. So its waits fail as assertions and every test gets
/// a second attempt ([Retry]); a failure that happens twice in a row still fails.
/// </remarks>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CSharpClientTests : ServerFixture
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static IEnumerable<TestCaseData> Setups() =>
        from eio in new[] { 4, 3 }
        from transport in new[] { TransportProtocol.WebSocket, TransportProtocol.Polling }
        select new TestCaseData(eio, transport).SetArgDisplayNames($"EIO{eio}", transport.ToString());

    [TestCaseSource(nameof(Setups))]
    [Retry(2)]
    public async Task Connects_and_gets_its_auth_back(int eio, TransportProtocol transport)
    {
        var auth = new Dictionary<string, object> { ["token"] = "c# token ✓" };
        await using var connection = await ConnectAsync(eio, transport, "/", eio >= 4 ? auth : null);

        var reported = await connection.NextAsync("auth");

        Assert.That(connection.Client.Id, Is.Not.Null.And.Not.Empty);
        Assert.That(connection.Client.Connected, Is.True);
        if (eio >= 4)
        {
            JsonAssert.AreEqual(new JArray(JObject.FromObject(auth)), Args(reported));
        }
        else
        {
            // Engine.IO 3 carries no auth.
            JsonAssert.IsEmptyAuth(Args(reported));
        }
    }

    [TestCaseSource(nameof(Setups))]
    [Retry(2)]
    public async Task Json_event_comes_back_unchanged(int eio, TransportProtocol transport)
    {
        await using var connection = await ConnectAsync(eio, transport);

        await connection.Client.EmitAsync("message", "héllo 😀 日本", 42, 2.5, true, new { nested = new object[] { 1, "two", new { three = 3 } } });
        var echo = await connection.NextAsync("message-back");

        JsonAssert.AreEqual(
            JArray.Parse("""["héllo 😀 日本", 42, 2.5, true, {"nested": [1, "two", {"three": 3}]}]"""),
            Args(echo));
    }

    [TestCaseSource(nameof(Setups))]
    [Retry(2)]
    public async Task Server_acknowledges_with_the_arguments_it_was_sent(int eio, TransportProtocol transport)
    {
        await using var connection = await ConnectAsync(eio, transport);
        var acked = new TaskCompletionSource<SocketIOResponse>(TaskCreationOptions.RunContinuationsAsynchronously);

        await connection.Client.EmitAsync("message-with-ack", response => acked.TrySetResult(response), "ack me", new { n = 7 });
        var ack = await ClientWaitAsync(acked.Task, "the ack");

        JsonAssert.AreEqual(JArray.Parse("""["ack me", {"n": 7}]"""), Args(ack));
    }

    [TestCaseSource(nameof(Setups))]
    [Retry(2)]
    public async Task Binary_comes_back_byte_for_byte(int eio, TransportProtocol transport)
    {
        await using var connection = await ConnectAsync(eio, transport);
        byte[] first = [.. Enumerable.Range(0, 256).Select(b => (byte)b)];
        var second = new byte[50_000];
        new Random(7).NextBytes(second);

        await connection.Client.EmitAsync("message", first, "between", second);
        var echo = await connection.NextAsync("message-back");

        Assert.That(echo.Count, Is.EqualTo(3));
        Assert.That(echo.GetValue<byte[]>(0), Is.EqualTo(first));
        Assert.That(echo.GetValue<string>(1), Is.EqualTo("between"));
        Assert.That(echo.GetValue<byte[]>(2), Is.EqualTo(second));
    }

    [TestCaseSource(nameof(Setups))]
    [Retry(2)]
    public async Task Talks_to_the_custom_namespace(int eio, TransportProtocol transport)
    {
        await using var connection = await ConnectAsync(eio, transport, "/custom");

        await connection.Client.EmitAsync("message", "to custom");
        var echo = await connection.NextAsync("message-back");

        JsonAssert.AreEqual(new JArray("to custom"), Args(echo));
    }

    [TestCaseSource(nameof(Setups))]
    [Retry(2)]
    public async Task Disconnects_cleanly(int eio, TransportProtocol transport)
    {
        await using var connection = await ConnectAsync(eio, transport);

        await connection.Client.DisconnectAsync();

        Assert.That(await connection.NextDisconnectAsync(), Is.EqualTo(DisconnectReason.IOClientDisconnect));
        Assert.That(connection.Client.Connected, Is.False);
    }

    private static JArray Args(SocketIOResponse response) =>
        [.. Enumerable.Range(0, response.Count).Select(i => JToken.Parse(response.GetValue<JsonElement>(i).GetRawText()))];

    /// <summary>A wait on the client that fails as an assertion (which [Retry] retries) when the client never gets there.</summary>
    private static async Task ClientWaitAsync(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Timeout);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"No {what} within {Timeout.TotalSeconds} s: {e.Message}");
        }
    }

    private static async Task<T> ClientWaitAsync<T>(Task<T> task, string what)
    {
        await ClientWaitAsync((Task)task, what);
        return await task;
    }

    private async Task<Connection> ConnectAsync(int eio, TransportProtocol transport, string ns = "/", object? auth = null)
    {
        var client = new SocketIOClient.SocketIO(new Uri(Server.BaseUrl, ns), new SocketIOOptions
        {
            EIO = eio,
            Transport = transport,
            AutoUpgrade = false,
            Reconnection = false,
            ConnectionTimeout = Timeout,
            Auth = auth,
        });
        var connection = new Connection(client);
        try
        {
            await ClientWaitAsync(client.ConnectAsync(), "the connection");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A C# client with the events the conformance fixture sends queued for the test to await.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        private readonly MessageInbox<(string Name, SocketIOResponse Response)> _inbox = new();
        private readonly MessageInbox<string> _disconnects = new();

        public Connection(SocketIOClient.SocketIO client)
        {
            Client = client;
            // From the start, so a disconnect before the test expects one shows with its reason.
            client.OnDisconnected += (_, reason) => _disconnects.Post(reason);
            // Handlers per name rather than OnAny: SocketIOClient 3.0.6 does not pass binary events to OnAny.
            foreach (var name in new[] { "auth", "message-back" })
            {
                client.On(name, response => _inbox.Post((name, response)));
            }
        }

        public SocketIOClient.SocketIO Client { get; }

        public async Task<SocketIOResponse> NextAsync(string eventName)
        {
            var received = ClientWaitAsync(_inbox.TakeAsync(e => e.Name == eventName, Timeout), $"'{eventName}'");
            try
            {
                return (await received).Response;
            }
            catch (AssertionException)
            {
                TestContext.Out.WriteLine($"received instead: {string.Join(", ", _inbox.All.Select(e => $"{e.Name} {e.Response}"))}");
                throw;
            }
        }

        /// <summary>The reason of the next disconnect the client reported.</summary>
        public Task<string> NextDisconnectAsync() => ClientWaitAsync(_disconnects.TakeAsync(_ => true, Timeout), "disconnect report");

        // Disconnect first: a disposed client just drops its transport, which the server logs as an error.
        public async ValueTask DisposeAsync()
        {
            if (Client.Connected)
            {
                await Client.DisconnectAsync();
            }

            Client.Dispose();
        }
    }
}
