using System.Collections.Concurrent;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Protocol.MsgPack;

/// <summary>The real notepack.io in Node (js/notepack-bridge.js), asked to encode or decode one value at a time.</summary>
public sealed class NotepackBridge : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly NodeProcess _process;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JObject>> _pending = new();
    private int _nextSeq;

    private NotepackBridge(NodeProcess process) => _process = process;

    public static NotepackBridge Start()
    {
        var bridge = new NotepackBridge(NodeProcess.Start("notepack-bridge.js", []));
        bridge._process.Listen(bridge.OnLine, bridge.OnExited);
        return bridge;
    }

    /// <summary>notepack.encode of the value <paramref name="tagged"/> (see <see cref="TaggedJson"/>) stands for, in hex.</summary>
    public async Task<string> EncodeAsync(JToken tagged)
    {
        JObject answer = await AskAsync(new JObject { ["op"] = "encode", ["value"] = tagged });
        return (string?)answer["hex"] ?? throw new InvalidOperationException($"notepack.encode failed: {answer["error"]}");
    }

    /// <summary>notepack.decode of <paramref name="bytes"/> as tagged JSON, or the error notepack threw as a string in <c>error</c>.</summary>
    public Task<JObject> DecodeAsync(byte[] bytes) =>
        AskAsync(new JObject { ["op"] = "decode", ["hex"] = Convert.ToHexStringLower(bytes) });

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task<JObject> AskAsync(JObject command)
    {
        int seq = Interlocked.Increment(ref _nextSeq);
        var answer = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[seq] = answer;
        command["seq"] = seq;
        await _process.WriteLineAsync(command.ToString(Formatting.None));
        return await answer.Task.WaitAsync(AnswerTimeout);
    }

    private void OnLine(string line)
    {
        var answer = Parse(line);
        if (_pending.TryRemove((int)answer["seq"]!, out var pending))
        {
            pending.TrySetResult(answer);
        }
    }

    /// <summary>Parses JSON as text, leaving date-like strings alone (Newtonsoft would make them dates).</summary>
    public static JObject Parse(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }

    private void OnExited()
    {
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new InvalidOperationException(
                $"{_process.Description} exited with code {_process.ExitCode}; stderr:\n{_process.StandardError}"));
        }
    }
}
