using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Infrastructure;

/// <summary>Deep equality of JSON trees (binaries as <see cref="BinaryJson"/>, so byte for byte), shown in full on failure.</summary>
public static class JsonAssert
{
    public static void AreEqual(JToken expected, JToken? actual, string? what = null)
    {
        if (!JToken.DeepEquals(expected, actual))
        {
            Assert.Fail($"{what ?? "JSON"} differs.\n  Expected: {expected.ToString(Formatting.None)}\n  But was:  {actual?.ToString(Formatting.None) ?? "nothing"}");
        }
    }

    /// <summary>
    /// The arguments of the fixture's <c>auth</c> event for a client that sent no auth (all 1.x/2.x
    /// clients): the reference sends <c>{}</c>; nothing or <c>null</c> says the same.
    /// </summary>
    public static void IsEmptyAuth(JArray args) =>
        Assert.That(
            args.Count == 0 || args is [{ Type: JTokenType.Null }] || args is [JObject { Count: 0 }],
            Is.True,
            $"auth arguments should be empty, were {args.ToString(Formatting.None)}");
}
