using System.Buffers;
using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo.Json;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// The JSON side of the cluster wire: <c>JSON.stringify</c> and <c>JSON.parse</c> as the Node adapters run them.
/// Writing follows JSON.stringify for what JSON has no form for: a Buffer becomes
/// <c>{"type":"Buffer","data":[...]}</c> (Buffer.prototype.toJSON), a Date its ISO text, an undefined is left
/// out of an object and null in an array.
/// </summary>
internal static class ClusterJson
{
    /// <summary>The bytes of <paramref name="value"/> as JSON.stringify writes them (UTF-8).</summary>
    public static byte[] Serialize(JToken value)
    {
        var text = new StringBuilder(256);
        using (var stringWriter = new StringWriter(text, CultureInfo.InvariantCulture))
        {
            var writer = new PayloadJsonWriter(stringWriter);
            Write(writer, value);
            writer.Flush();
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Parses UTF-8 JSON text (as JSON.parse does, duplicate keys refused).</summary>
    /// <exception cref="ProtocolException">Not one valid JSON value, or nested deeper than <paramref name="maxDepth"/>.</exception>
    public static JToken Parse(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        string text;
        try
        {
            text = EncodingStrict.GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProtocolException("Cluster JSON message is not valid UTF-8", e);
        }

        PlaceholderTracker.Frame[] frames = ArrayPool<PlaceholderTracker.Frame>.Shared.Rent(maxDepth);
        try
        {
            var builder = new JTokenBuilder(frames, attachments: 0);
            StrictJson.ParseDocument(text, 0, maxDepth, ref builder);
            return builder.Root ?? JValue.CreateNull();
        }
        finally
        {
            ArrayPool<PlaceholderTracker.Frame>.Shared.Return(frames);
        }
    }

    private static readonly UTF8Encoding EncodingStrict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void Write(JsonWriter writer, JToken token)
    {
        switch (token)
        {
            case JArray array:
                writer.WriteStartArray();
                for (JToken? item = array.First; item is not null; item = item.Next)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JObject obj:
                writer.WriteStartObject();
                for (var property = (JProperty?)obj.First; property is not null; property = (JProperty?)property.Next)
                {
                    if (property.Value.Type != JTokenType.Undefined)
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value);
                    }
                }

                writer.WriteEndObject();
                break;
            case JValue { Type: JTokenType.Bytes, Value: byte[] bytes }:
                writer.WriteStartObject();
                writer.WritePropertyName("type");
                writer.WriteValue("Buffer");
                writer.WritePropertyName("data");
                writer.WriteStartArray();
                foreach (byte b in bytes)
                {
                    writer.WriteValue((long)b);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case JValue { Type: JTokenType.Undefined }:
                writer.WriteNull();
                break;
            default:
                token.WriteTo(writer);
                break;
        }
    }
}
