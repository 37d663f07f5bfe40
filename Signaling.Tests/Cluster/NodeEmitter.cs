using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>@socket.io/redis-emitter 5.1.0 in a process of its own (js/cluster-emitter.js), publishing to a cluster's Redis.</summary>
public sealed class NodeEmitter : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly NodeCommandChannel _channel;

    private NodeEmitter(NodeCommandChannel channel) => _channel = channel;

    public static async Task<NodeEmitter> StartAsync(RedisServer redis, string prefix = "socket.io")
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new JObject { ["redisUrl"] = redis.Url, ["prefix"] = prefix };
        var channel = NodeCommandChannel.Start("cluster-emitter.js", [config.ToString(Newtonsoft.Json.Formatting.None)], report =>
        {
            if ((string?)report["type"] == "ready")
            {
                ready.TrySetResult();
            }
        });
        _ = channel.Exited.ContinueWith(
            _ => ready.TrySetException(new InvalidOperationException(
                $"{channel.Process.Description} exited before it was ready; stderr:\n{channel.Process.StandardError}")),
            TaskScheduler.Default);
        try
        {
            await ready.Task.WaitAsync(StartTimeout);
            return new NodeEmitter(channel);
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one emitter command (see js/cluster-emitter.js) and returns once it is published.</summary>
    public async Task CommandAsync(string cmd, JObject? arguments = null)
    {
        JObject answer = await _channel.AskAsync(Command(cmd, arguments));
        if ((string?)answer["type"] != "result")
        {
            throw new InvalidOperationException($"{cmd} failed on the emitter: {answer["message"]}");
        }
    }

    /// <summary>Runs <paramref name="commands"/> (made by <see cref="Command"/>) back to back, as one program would, and returns once all are published.</summary>
    public Task BatchAsync(params JObject[] commands) => CommandAsync("batch", new JObject { ["commands"] = new JArray(commands) });

    /// <summary>One command of <see cref="BatchAsync"/>.</summary>
    public static JObject Command(string cmd, JObject? arguments = null)
    {
        var command = arguments is null ? [] : (JObject)arguments.DeepClone();
        command["cmd"] = cmd;
        return command;
    }

    public ValueTask DisposeAsync() => _channel.DisposeAsync();
}
