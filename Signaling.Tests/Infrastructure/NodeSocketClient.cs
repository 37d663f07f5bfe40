using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// An official Socket.IO JavaScript client (1.x to 4.x) running in Node.js under client-driver.js,
/// driven from a test: send it commands, await what it reports. Every wait has a timeout and
/// fails with what the client did receive and what node wrote to stderr.
/// </summary>
public sealed class NodeSocketClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly MessageInbox<DriverMessage> _inbox = new();
    private readonly NodeProcess _process;
    private int _lastSeq;
    private volatile string? _id;
    private volatile string? _sessionId;
    private volatile string? _transport;

    private NodeSocketClient(Uri serverUrl, NodeClientOptions options)
    {
        Options = options;
        _process = NodeProcess.Start("client-driver.js", [options.ToDriverConfig(serverUrl)]);
        _process.Listen(OnLine, OnExited);
    }

    public NodeClientOptions Options { get; }

    /// <summary>The socket id the client reported on its last connect.</summary>
    public string? Id => _id;

    /// <summary>The Engine.IO session id (<c>sid</c>) under the socket on its last connect.</summary>
    public string? SessionId => _sessionId;

    /// <summary>The Engine.IO transport in use: set on connect, updated on upgrade.</summary>
    public string? Transport => _transport;

    /// <summary>Everything the driver reported so far, oldest first.</summary>
    public IReadOnlyList<DriverMessage> Received => _inbox.All;

    /// <summary>Starts the client process without connecting; send <see cref="OpenAsync"/> to connect.</summary>
    public static NodeSocketClient Start(Uri serverUrl, NodeClientOptions options) => new(serverUrl, options);

    /// <summary>Starts a client and waits until its socket is connected to the namespace.</summary>
    public static async Task<NodeSocketClient> ConnectAsync(Uri serverUrl, NodeClientOptions options)
    {
        var client = Start(serverUrl, options);
        try
        {
            await client.OpenAsync();
            var outcome = await client.NextAsync(
                m => m.Type is "connected" or "connect_error" or "error" or "disconnect" or "engine-close",
                "connect outcome");
            return outcome.Type == "connected"
                ? client
                : throw new InvalidOperationException(client.Explain($"The client could not connect: {outcome}"));
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Tells the client to connect (or reconnect after a disconnect); await "connected" or "connect_error" next.</summary>
    public Task OpenAsync() => SendAsync(new JObject { ["cmd"] = "connect" });

    public Task EmitAsync(string eventName, params JToken?[] args) =>
        SendAsync(new JObject { ["cmd"] = "emit", ["event"] = eventName, ["args"] = ToArray(args) });

    /// <summary>Emits with an ack callback and returns the arguments the server acknowledged with.</summary>
    /// <exception cref="TimeoutException">The server did not acknowledge within <see cref="DefaultTimeout"/>.</exception>
    public async Task<JArray> EmitWithAckAsync(string eventName, params JToken?[] args)
    {
        var seq = Interlocked.Increment(ref _lastSeq);
        await SendAsync(new JObject
        {
            ["cmd"] = "emitWithAck",
            ["seq"] = seq,
            ["event"] = eventName,
            ["args"] = ToArray(args),
            ["timeoutMs"] = (int)DefaultTimeout.TotalMilliseconds,
        });
        var answer = await NextAsync(
            m => m.Type is "ack" or "ack-timeout" && (int?)m.Body["seq"] == seq,
            $"ack {seq} of '{eventName}'",
            DefaultTimeout + TimeSpan.FromSeconds(1));
        return answer.Type == "ack"
            ? answer.Args
            : throw new TimeoutException(Explain($"The server did not acknowledge '{eventName}' (seq {seq})"));
    }

    /// <summary>Answers an event the server sent with an ack request (<see cref="DriverMessage.AckId"/>).</summary>
    public Task AckAsync(int ackId, params JToken?[] args) =>
        SendAsync(new JObject { ["cmd"] = "ack", ["ackId"] = ackId, ["args"] = ToArray(args) });

    /// <summary>Emits <paramref name="count"/> times back to back inside the client, without a round trip per event.</summary>
    public async Task FloodAsync(string eventName, int count, params JToken?[] args)
    {
        await SendAsync(new JObject { ["cmd"] = "flood", ["event"] = eventName, ["args"] = ToArray(args), ["count"] = count });
        await NextAsync("flooded");
    }

    /// <summary>As <see cref="FloodAsync"/> with an ack callback on each: how many acks came with each answer (its JSON).</summary>
    public async Task<IReadOnlyDictionary<string, int>> FloodWithAcksAsync(string eventName, int count, TimeSpan timeout, params JToken?[] args)
    {
        await SendAsync(new JObject { ["cmd"] = "flood", ["event"] = eventName, ["args"] = ToArray(args), ["count"] = count, ["withAck"] = true });
        var acks = (JObject)(await NextAsync(m => m.Type == "flood-acks", "flood-acks", timeout)).Body["acks"]!;
        return acks.Properties().ToDictionary(p => p.Name, p => (int)p.Value);
    }

    /// <summary>Stops reading what the server sends (a paused TCP socket under a WebSocket, or no more polls).</summary>
    public async Task PauseReadingAsync()
    {
        await SendAsync(new JObject { ["cmd"] = "pauseReading" });
        await NextAsync("paused");
    }

    /// <summary>Destroys the TCP socket under the client's WebSocket: the connection ends with no close frame and no close packet.</summary>
    public Task CutTransportAsync() => SendAsync(new JObject { ["cmd"] = "cut" });

    /// <summary>Makes the next connection (a reconnection, or <see cref="OpenAsync"/>) go to <paramref name="serverUrl"/>: another node of a cluster. 3.x/4.x only.</summary>
    public Task MoveToAsync(Uri serverUrl) => SendAsync(new JObject { ["cmd"] = "move", ["url"] = serverUrl.ToString().TrimEnd('/') });

    /// <summary>
    /// Makes the client's WebSocket stop carrying anything, either way, and the client give it up:
    /// the server is told nothing and sees the connection open, as when a phone changes networks.
    /// </summary>
    public Task BlackholeTransportAsync() => SendAsync(new JObject { ["cmd"] = "blackhole" });

    /// <summary>Closes the client's WebSocket with 1001 (going away), as a browser does when its page is closed, and nothing else.</summary>
    public Task LeaveAsync() => SendAsync(new JObject { ["cmd"] = "leave" });

    /// <summary>Disconnects the socket and returns the reason the client reported.</summary>
    public async Task<string?> DisconnectAsync()
    {
        await SendAsync(new JObject { ["cmd"] = "disconnect" });
        return (await NextAsync("disconnect")).Reason;
    }

    /// <summary>The next unclaimed Socket.IO event named <paramref name="eventName"/> the server sent.</summary>
    public Task<DriverMessage> NextEventAsync(string eventName, TimeSpan? timeout = null) =>
        NextWhileConnectedAsync(m => m.Type == "event" && m.Name == eventName, $"event '{eventName}'", timeout);

    /// <summary>
    /// The next unclaimed report that can only come over a live connection (an event, an upgrade, a
    /// heartbeat). Without reconnection an unclaimed disconnect means it never will, so that fails at once.
    /// </summary>
    public async Task<DriverMessage> NextWhileConnectedAsync(Func<DriverMessage, bool> matches, string description, TimeSpan? timeout = null)
    {
        var message = await NextAsync(m => matches(m) || (m.Type == "disconnect" && !Options.Reconnection), description, timeout);
        return message.Type != "disconnect" || matches(message)
            ? message
            : throw new InvalidOperationException(Explain($"Disconnected ({message.Reason}) while waiting for {description}"));
    }

    /// <summary>The next unclaimed report of a driver type: connected, upgrade, disconnect, connect_error, ...</summary>
    public Task<DriverMessage> NextAsync(string type, TimeSpan? timeout = null) =>
        NextAsync(m => m.Type == type, $"'{type}' report", timeout);

    public async Task<DriverMessage> NextAsync(Func<DriverMessage, bool> matches, string description, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            return await _inbox.TakeAsync(matches, limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Explain($"No {description} within {limit.TotalSeconds:0.#} s"));
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public override string ToString() => $"{(int)Options.Version}.x client over {Options.Transport} on {Options.Namespace}";

    private async Task SendAsync(JObject command) => await _process.WriteLineAsync(command.ToString(Formatting.None));

    private static JArray ToArray(JToken?[] args) => [.. args.Select(a => a ?? JValue.CreateNull())];

    private string Explain(string problem)
    {
        var received = string.Join("\n  ", Received.Select(m => m.ToString()));
        return $"{problem} ({this}, {_process.Description}).\nReceived:\n  {received}\nstderr:\n{_process.StandardError}";
    }

    private void OnLine(string line)
    {
        JObject body;
        try
        {
            // Strings stay strings: a date-like argument must come back as the text it was.
            using var reader = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None };
            body = JObject.Load(reader);
        }
        catch (JsonReaderException)
        {
            _inbox.Close(new InvalidOperationException(Explain($"The client driver wrote a line that is not JSON: {line}")));
            return;
        }

        var message = new DriverMessage(body);
        switch (message.Type)
        {
            case "connected":
                _id = (string?)body["id"];
                _sessionId = (string?)body["sid"];
                _transport = message.Transport;
                break;
            case "upgrade":
                _transport = message.Transport;
                break;
        }

        _inbox.Post(message);
        if (message.Type == "driver-error")
        {
            _inbox.Close(new InvalidOperationException(Explain($"The client driver failed: {body["message"]}")));
        }
    }

    private void OnExited() =>
        _inbox.Close(new InvalidOperationException(Explain($"The client driver exited (code {_process.ExitCode})")));
}
