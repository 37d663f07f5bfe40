using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// Binary values on the bridge to the Node.js client driver: <c>{"$binary": "&lt;base64&gt;"}</c>
/// stands for a Buffer in either direction, so a JSON tree with binaries compares byte for byte.
/// </summary>
public static class BinaryJson
{
    private const string Key = "$binary";

    public static JObject Binary(byte[] bytes) => new(new JProperty(Key, Convert.ToBase64String(bytes)));

    public static bool IsBinary(JToken? token) =>
        token is JObject { Count: 1 } obj && obj[Key] is JValue { Type: JTokenType.String };

    public static byte[] ToBytes(JToken? token) =>
        IsBinary(token)
            ? Convert.FromBase64String((string)token![Key]!)
            : throw new ArgumentException($"Not a binary value: {token?.ToString(Newtonsoft.Json.Formatting.None) ?? "null"}", nameof(token));
}
