using System.Buffers;
using System.Numerics;
using Newtonsoft.Json.Linq;

namespace Signaling.Protocol.MsgPack;

/// <summary>
/// Encodes a JSON value as notepack.io 3 (the Redis adapter's default parser) encodes the same JavaScript
/// value. Beyond JSON: <see cref="JTokenType.Bytes"/> values are Buffers (bin), <see cref="JTokenType.Date"/>
/// values are Dates (Timestamp extension, millisecond precision as in JavaScript), and
/// <see cref="JTokenType.Undefined"/> is JavaScript's undefined (nil in an array, left out of an object).
/// Numbers follow <see cref="MsgPackWriter.WriteNumber"/>: integral values become integers whatever their token type.
/// </summary>
public static class NotepackEncoder
{
    /// <exception cref="ArgumentException">The value holds a token JavaScript has no value for (a comment, a constructor...).</exception>
    public static byte[] Encode(JToken value)
    {
        var output = new ArrayBufferWriter<byte>(256);
        Encode(value, output);
        return output.WrittenSpan.ToArray();
    }

    /// <inheritdoc cref="Encode(JToken)"/>
    public static void Encode(JToken value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        Write(new MsgPackWriter(output), value);
    }

    /// <summary>Writes one value with <paramref name="writer"/>, for callers that write the envelope around it themselves.</summary>
    public static void Write(MsgPackWriter writer, JToken value)
    {
        switch (value)
        {
            case JArray array:
                writer.WriteArrayHeader(array.Count);
                for (JToken? item = array.First; item is not null; item = item.Next)
                {
                    Write(writer, item);
                }

                break;
            case JObject obj:
                writer.WriteMapHeader(CountDefined(obj));
                for (var property = (JProperty?)obj.First; property is not null; property = (JProperty?)property.Next)
                {
                    if (property.Value.Type != JTokenType.Undefined)
                    {
                        writer.WriteString(property.Name);
                        Write(writer, property.Value);
                    }
                }

                break;
            case JValue scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw new ArgumentException($"A {value.Type} token has no MessagePack form", nameof(value));
        }
    }

    private static int CountDefined(JObject obj)
    {
        int count = 0;
        for (JToken? property = obj.First; property is not null; property = property.Next)
        {
            if (((JProperty)property).Value.Type != JTokenType.Undefined)
            {
                count++;
            }
        }

        return count;
    }

    private static void WriteScalar(MsgPackWriter writer, JValue value)
    {
        switch (value.Value)
        {
            case null:
                writer.WriteNil(); // null, and undefined outside an object
                break;
            case string text:
                writer.WriteString(text);
                break;
            case bool flag:
                writer.WriteBoolean(flag);
                break;
            case long or int or short or sbyte:
                writer.WriteInteger(Convert.ToInt64(value.Value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ulong or uint or ushort or byte:
                writer.WriteInteger(Convert.ToUInt64(value.Value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double number:
                writer.WriteNumber(number);
                break;
            case float number:
                writer.WriteNumber(number);
                break;
            case decimal number:
                writer.WriteNumber((double)number);
                break;
            case BigInteger big:
                // Past 64 bits JavaScript has only the nearest double.
                writer.WriteNumber((double)big);
                break;
            case byte[] bytes:
                writer.WriteBinary(bytes);
                break;
            case DateTime date:
                writer.WriteTimestamp(JsDate.ToUnixMilliseconds(date));
                break;
            case DateTimeOffset date:
                writer.WriteTimestamp(JsDate.ToUnixMilliseconds(date.UtcDateTime));
                break;
            default:
                throw new ArgumentException($"A {value.Type} value ({value.Value.GetType().Name}) has no MessagePack form", nameof(value));
        }
    }
}
