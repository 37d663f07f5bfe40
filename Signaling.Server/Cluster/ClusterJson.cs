using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;
using Signaling.Server.SocketIo;

namespace Signaling.Server.Cluster;

/// <summary>
/// The pieces both Redis wires share: messages that are JSON when their first byte is <c>{</c>
/// and MessagePack (notepack.io) otherwise, broadcast options as <c>{rooms, except, flags}</c>,
/// and random ids.
/// </summary>
internal static class ClusterJson
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>Decodes a message; strings that look like dates stay strings, as JSON.parse leaves them.</summary>
    /// <exception cref="Protocol.ProtocolException">Not MessagePack.</exception>
    /// <exception cref="JsonException">Not JSON.</exception>
    public static JToken Decode(ReadOnlyMemory<byte> message)
    {
        if (message.Length > 0 && message.Span[0] == (byte)'{')
        {
            using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(message.Span))) { DateParseHandling = DateParseHandling.None, MaxDepth = 64 };
            return JToken.ReadFrom(reader);
        }
        return NotepackDecoder.Decode(message.Span);
    }

    public static byte[] Json(JToken value) => Encoding.UTF8.GetBytes(value.ToString(Formatting.None));

    public static byte[] Notepack(JToken value) => NotepackEncoder.Encode(value);

    /// <summary>Whether a value holds binary anywhere (the sharded wire then uses MessagePack).</summary>
    public static bool HasBinary(JToken? value) => value switch
    {
        null => false,
        JValue v => v.Type == JTokenType.Bytes,
        JContainer container => container.Children().Any(HasBinary),
        _ => false,
    };

    /// <summary><c>{rooms, except, flags}</c> as the Node adapters send them; <paramref name="withFlags"/> false for join/leave/disconnect requests of the classic wire.</summary>
    public static JObject Options(BroadcastOptions options, bool withFlags = true)
    {
        var json = new JObject { ["rooms"] = new JArray(options.Rooms), ["except"] = new JArray(options.Except) };
        if (withFlags)
        {
            json["flags"] = Flags(options.Flags);
        }
        return json;
    }

    public static JObject Flags(BroadcastFlags flags)
    {
        var json = new JObject();
        if (flags.Volatile)
        {
            json["volatile"] = true;
        }
        if (flags.Compress is { } compress)
        {
            json["compress"] = compress;
        }
        if (flags.Timeout is { } timeout)
        {
            json["timeout"] = (long)timeout.TotalMilliseconds;
        }
        return json;
    }

    /// <summary>Reads options another node sent; rooms that are numbers (Node allows them) become their decimal form.</summary>
    public static BroadcastOptions ReadOptions(JToken? json)
    {
        var flags = json?["flags"] as JObject;
        return new BroadcastOptions(
            Rooms(json?["rooms"]),
            Rooms(json?["except"]),
            new BroadcastFlags(
                Volatile: flags?["volatile"]?.Type == JTokenType.Boolean && (bool)flags["volatile"]!,
                Compress: flags?["compress"]?.Type == JTokenType.Boolean ? (bool)flags["compress"]! : null,
                Timeout: flags?["timeout"]?.Type is JTokenType.Integer or JTokenType.Float ? TimeSpan.FromMilliseconds((double)flags["timeout"]!) : null));
    }

    public static ImmutableHashSet<string> Rooms(JToken? json) => json is JArray array
        ? array.Select(Room).OfType<string>().ToImmutableHashSet(StringComparer.Ordinal)
        : ImmutableHashSet<string>.Empty;

    public static string? Room(JToken token) => token switch
    {
        JValue { Type: JTokenType.String } s => (string?)s,
        JValue { Type: JTokenType.Integer or JTokenType.Float } n => Convert.ToString(n.Value, CultureInfo.InvariantCulture),
        _ => null,
    };

    public static string? String(JToken? token) => token is JValue { Type: JTokenType.String } s ? (string?)s : null;

    public static int? Int(JToken? token) => token is JValue { Type: JTokenType.Integer } n ? (int)n : null;

    /// <summary><paramref name="length"/> characters from the base64url alphabet, as uid2 makes them.</summary>
    public static string RandomId(int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = IdAlphabet[bytes[i] % 64];
        }
        return new string(chars);
    }

    /// <summary>16 lowercase hex characters, as socket.io-adapter's cluster uids and request ids.</summary>
    public static string RandomHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
