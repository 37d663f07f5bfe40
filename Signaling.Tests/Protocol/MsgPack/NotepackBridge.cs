using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Protocol.MsgPack;

/// <summary>The real notepack.io in Node (js/notepack-bridge.js), asked to encode or decode one value at a time.</summary>
public sealed class NotepackBridge : IAsyncDisposable
{
    private readonly NodeCommandChannel _channel;

    private NotepackBridge(NodeCommandChannel channel) => _channel = channel;

    public static NotepackBridge Start() => new(NodeCommandChannel.Start("notepack-bridge.js", [], _ => { }));

    /// <summary>notepack.encode of the value <paramref name="tagged"/> (see <see cref="TaggedJson"/>) stands for, in hex.</summary>
    public async Task<string> EncodeAsync(JToken tagged)
    {
        JObject answer = await _channel.AskAsync(new JObject { ["op"] = "encode", ["value"] = tagged });
        return (string?)answer["hex"] ?? throw new InvalidOperationException($"notepack.encode failed: {answer["error"]}");
    }

    /// <summary>notepack.decode of <paramref name="bytes"/> as tagged JSON in <c>value</c>, or the error notepack threw in <c>error</c>.</summary>
    public Task<JObject> DecodeAsync(byte[] bytes) =>
        _channel.AskAsync(new JObject { ["op"] = "decode", ["hex"] = Convert.ToHexStringLower(bytes) });

    public ValueTask DisposeAsync() => _channel.DisposeAsync();

    public static JObject Parse(string json) => NodeCommandChannel.Parse(json);
}
