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
}
