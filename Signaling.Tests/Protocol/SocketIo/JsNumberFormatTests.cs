using Signaling.Protocol.SocketIo.Json;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>Doubles are written as JavaScript writes them (ECMAScript Number::toString), integral ones keeping ".0".</summary>
public sealed class JsNumberFormatTests
{
    [TestCase(0.1, "0.1")]
    [TestCase(-0.5, "-0.5")]
    [TestCase(123.456, "123.456")]
    [TestCase(1e-6, "0.000001")]
    [TestCase(1.5e-6, "0.0000015")]
    [TestCase(1e-7, "1e-7")]
    [TestCase(-1.25e-7, "-1.25e-7")]
    [TestCase(1e21, "1e+21")]
    [TestCase(1.5e21, "1.5e+21")]
    [TestCase(123456789.125, "123456789.125")]
    [TestCase(1.7976931348623157e308, "1.7976931348623157e+308")]
    [TestCase(5e-324, "5e-324")]
    [TestCase(1.0, "1.0")]
    [TestCase(-100.0, "-100.0")]
    [TestCase(1e20, "100000000000000000000.0")]
    [TestCase(0.0, "0.0")]
    [TestCase(-0.0, "-0.0")]
    public void Formats_like_JavaScript(double value, string expected) =>
        Assert.That(JsNumberFormat.Format(value), Is.EqualTo(expected));

    [Test]
    public void Every_formatted_value_parses_back_to_the_same_double()
    {
        var random = new Random(3);
        for (int i = 0; i < 100_000; i++)
        {
            double value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value))
            {
                continue;
            }

            string text = JsNumberFormat.Format(value);
            Assert.That(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(value), text);
        }
    }
}
