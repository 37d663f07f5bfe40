using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>
/// A Node.js cluster node (js/cluster-node.js: socket.io 4.8.4 + @socket.io/redis-adapter 8.3.0, docs/SIGNALING.md
/// across the cluster) on a loopback port, driven over stdin: the server-side operations run on it with
/// <see cref="CommandAsync"/>, what it reports (serverSideEmit events it handles) lands in <see cref="Reports"/>.
/// Stopped by its process id: <see cref="StopAsync"/> (SIGTERM, it leaves the cluster at once) or
/// <see cref="KillAsync"/> (SIGKILL, it just vanishes).
/// </summary>
public sealed class NodeClusterNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly NodeCommandChannel _channel;

    private NodeClusterNode(NodeCommandChannel channel, NodeClusterNodeOptions options, JObject listening, MessageInbox<JObject> reports)
    {
        _channel = channel;
        Reports = reports;
        Options = options;
        Port = (int)listening["port"]!;
        Uid = (string)listening["uid"]!;
    }

    public NodeClusterNodeOptions Options { get; }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>The uid of its main namespace's adapter, as it appears in its cluster messages.</summary>
    public string Uid { get; }

    public int ProcessId => _channel.Process.ProcessId;

    /// <summary>Report lines other than answers: <c>{"type":"serverSideEmit","event","args"}</c>.</summary>
    public MessageInbox<JObject> Reports { get; }

    public string StandardError => _channel.Process.StandardError;

    public static async Task<NodeClusterNode> StartAsync(RedisServer redis, NodeClusterNodeOptions options)
    {
        var listening = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reports = new MessageInbox<JObject>();
        var channel = NodeCommandChannel.Start("cluster-node.js", [options.ToConfig(redis)], report =>
        {
            if ((string?)report["type"] == "listening")
            {
                listening.TrySetResult(report);
            }
            else
            {
                reports.Post(report);
            }
        });
        _ = channel.Exited.ContinueWith(
            _ => listening.TrySetException(new InvalidOperationException(
                $"{channel.Process.Description} exited before listening; stderr:\n{channel.Process.StandardError}")),
            TaskScheduler.Default);
        try
        {
            return new NodeClusterNode(channel, options, await listening.Task.WaitAsync(StartTimeout), reports);
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one command of cluster-node.js (its header lists them) and returns its value.</summary>
    /// <exception cref="InvalidOperationException">The node answered with an error.</exception>
    public async Task<JToken> CommandAsync(string cmd, JObject? arguments = null, TimeSpan? timeout = null)
    {
        var command = arguments is null ? [] : (JObject)arguments.DeepClone();
        command["cmd"] = cmd;
        JObject answer = await _channel.AskAsync(command, timeout);
        return (string?)answer["type"] == "result"
            ? answer["value"]!
            : throw new InvalidOperationException($"{cmd} failed on the Node cluster node: {answer["message"]}");
    }

    /// <summary>SIGTERM: the node disconnects its sockets, unsubscribes and tells the others, then exits.</summary>
    public async Task StopAsync()
    {
        ProcessSignals.Terminate(ProcessId);
        await _channel.Process.WaitForExitAsync();
    }

    /// <summary>SIGKILL: the node's sockets and subscriptions vanish with no word to anyone.</summary>
    public async Task KillAsync()
    {
        ProcessSignals.Kill(ProcessId);
        await _channel.Process.WaitForExitAsync();
    }

    public ValueTask DisposeAsync() => _channel.DisposeAsync();

    public override string ToString() => $"Node {Options.Mode} cluster node {Uid} on port {Port} (pid {ProcessId})";
}
