using System.Collections.Concurrent;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// Numbered commands to a Node.js script and their answers: each command gets a <c>seq</c>, the line the
/// script prints with the same <c>seq</c> completes it, every other line goes to the report handler.
/// </summary>
public sealed class NodeCommandChannel : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly NodeProcess _process;
    private readonly Action<JObject> _onReport;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JObject>> _pending = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextSeq;

    private NodeCommandChannel(NodeProcess process, Action<JObject> onReport)
    {
        _process = process;
        _onReport = onReport;
    }

    public NodeProcess Process => _process;

    /// <summary>Completes when the script has exited.</summary>
    public Task Exited => _exited.Task;

    public static NodeCommandChannel Start(string script, IEnumerable<string> arguments, Action<JObject> onReport)
    {
        var channel = new NodeCommandChannel(NodeProcess.Start(script, arguments), onReport);
        channel._process.Listen(channel.OnLine, channel.OnExited);
        return channel;
    }

    /// <summary>Sends <paramref name="command"/> (a <c>seq</c> is added) and returns the answer line.</summary>
    public async Task<JObject> AskAsync(JObject command, TimeSpan? timeout = null)
    {
        int seq = Interlocked.Increment(ref _nextSeq);
        var answer = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[seq] = answer;
        command["seq"] = seq;
        await _process.WriteLineAsync(command.ToString(Formatting.None));
        try
        {
            return await answer.Task.WaitAsync(timeout ?? AnswerTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{_process.Description} did not answer {command.ToString(Formatting.None)}; stderr:\n{_process.StandardError}", e);
        }
        finally
        {
            _pending.TryRemove(seq, out _);
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>Parses JSON as text, leaving date-like strings alone (Newtonsoft would make them dates).</summary>
    public static JObject Parse(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }

    private void OnLine(string line)
    {
        JObject message = Parse(line);
        if (message["seq"] is JValue { Type: JTokenType.Integer } seq && _pending.TryRemove((int)seq, out var pending))
        {
            pending.TrySetResult(message);
        }
        else
        {
            _onReport(message);
        }
    }

    private void OnExited()
    {
        var exited = new InvalidOperationException(
            $"{_process.Description} exited with code {_process.ExitCode}; stderr:\n{_process.StandardError}");
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(exited);
        }

        _exited.TrySetResult();
    }
}
