using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Protocol.MsgPack;

/// <summary>
/// The tagged JSON of js/notepack-bridge.js: <c>{"$binary":b64}</c>, <c>{"$date":ms}</c>, <c>{"$undefined":true}</c>
/// and <c>{"$number":"NaN"|"Infinity"|"-Infinity"|"-0"}</c> stand for what plain JSON cannot carry, and map
/// to the codec's Bytes, Date, Undefined and double tokens.
/// </summary>
public static class TaggedJson
{
    public static JToken ToCodec(JToken tagged) => tagged switch
    {
        JArray array => new JArray(array.Select(ToCodec)),
        JObject { Count: 1 } obj when obj["$binary"] is JValue { Type: JTokenType.String } b64 => new JValue(Convert.FromBase64String((string)b64!)),
        JObject { Count: 1 } obj when obj["$date"] is JValue ms => new JValue(DateTime.UnixEpoch.AddTicks((long)ms * TimeSpan.TicksPerMillisecond)),
        JObject { Count: 1 } obj when obj["$undefined"] is not null => JValue.CreateUndefined(),
        JObject { Count: 1 } obj when obj["$number"] is JValue name => new JValue(SpecialNumber((string)name!)),
        JObject obj => new JObject(obj.Properties().Select(p => new JProperty(p.Name, ToCodec(p.Value)))),
        _ => tagged.DeepClone(),
    };

    public static JToken FromCodec(JToken value) => value switch
    {
        JArray array => new JArray(array.Select(FromCodec)),
        JObject obj => new JObject(obj.Properties().Select(p => new JProperty(p.Name, FromCodec(p.Value)))),
        JValue { Type: JTokenType.Bytes, Value: byte[] bytes } => new JObject(new JProperty("$binary", Convert.ToBase64String(bytes))),
        JValue { Type: JTokenType.Date, Value: DateTime date } => new JObject(new JProperty("$date", (date - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond)),
        JValue { Type: JTokenType.Undefined } => new JObject(new JProperty("$undefined", true)),
        JValue { Value: double d } when double.IsNaN(d) => Special("NaN"),
        JValue { Value: double d } when double.IsPositiveInfinity(d) => Special("Infinity"),
        JValue { Value: double d } when double.IsNegativeInfinity(d) => Special("-Infinity"),
        JValue { Value: double d } when d == 0 && double.IsNegative(d) => Special("-0"),
        _ => value.DeepClone(),
    };

    private static JObject Special(string name) => new(new JProperty("$number", name));

    private static double SpecialNumber(string name) => name switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        "-0" => -0.0,
        _ => throw new ArgumentException($"Unknown special number {name}", nameof(name)),
    };
}
