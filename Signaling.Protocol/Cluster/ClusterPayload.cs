using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;
using Signaling.Protocol.SocketIo.Json;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// What the Node adapters do with a raw message and with the values inside one: JSON when the first byte is
/// <c>{</c>, MessagePack otherwise; binary detection as socket.io-adapter's <c>hasBinary</c>; room names.
/// </summary>
internal static class ClusterPayload
{
    public static JToken Decode(ReadOnlySpan<byte> message, int maxDepth) =>
        message.Length > 0 && message[0] == (byte)'{'
            ? ClusterJson.Parse(message, maxDepth)
            : NotepackDecoder.Decode(message, maxDepth);

    /// <summary>Whether a Buffer sits anywhere inside (decides JSON or MessagePack for the sharded adapter).</summary>
    public static bool HasBinary(JToken? token) => token switch
    {
        JValue { Type: JTokenType.Bytes } => true,
        JContainer container => container.Descendants().Any(t => t.Type == JTokenType.Bytes),
        _ => false,
    };

    /// <summary>A room as a string: Node rooms may be numbers (<c>socket.join(1)</c>), which travel as numbers.</summary>
    public static string RoomName(JToken token) => token switch
    {
        JValue { Value: string name } => name,
        JValue { Type: JTokenType.Integer } number => number.ToString(Newtonsoft.Json.Formatting.None),
        JValue { Value: double number } when double.IsFinite(number) => JsNumberFormat.ToJsString(number),
        _ => throw new ProtocolException($"Room {token.ToString(Newtonsoft.Json.Formatting.None)} is neither a string nor a number"),
    };

    public static IReadOnlyList<string> RoomNames(JToken? array, string what) => array switch
    {
        null or JValue { Type: JTokenType.Null } => [],
        JArray rooms => [.. rooms.Select(RoomName)],
        _ => throw new ProtocolException($"Cluster message {what} is not an array"),
    };

    public static JObject RequireObject(JToken? token, string what) =>
        token as JObject ?? throw new ProtocolException($"Cluster message has no {what} object");

    public static string RequireString(JToken? token, string what) =>
        token is JValue { Value: string text } ? text : throw new ProtocolException($"Cluster message has no {what} string");

    public static string? OptionalString(JToken? token, string what) => token switch
    {
        null => null,
        JValue { Value: string text } => text,
        _ => throw new ProtocolException($"Cluster message {what} is not a string"),
    };

    public static int RequireInt(JToken? token, string what) =>
        token is JValue { Type: JTokenType.Integer, Value: long number } && number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : throw new ProtocolException($"Cluster message has no integer {what}");
}
