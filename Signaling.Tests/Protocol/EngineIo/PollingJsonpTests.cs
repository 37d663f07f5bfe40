using Signaling.Protocol;
using Signaling.Protocol.EngineIo;

namespace Signaling.Tests.Protocol.EngineIo;

public sealed class PollingJsonpTests
{
    [Test]
    public void Responses_are_a_call_with_a_javascript_string()
    {
        Assert.That(PollingJsonp.Wrap("6:4hi\"\\\n\u2028\u0001€", "3"), Is.EqualTo("___eio[3](\"6:4hi\\\"\\\\\\n\\u2028\\u0001€\");"));
    }

    [Test]
    public void Only_the_digits_of_the_index_are_kept()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PollingJsonp.SanitizeIndex("1a2</script>3"), Is.EqualTo("123"));
            Assert.That(PollingJsonp.Wrap("1:6", "x"), Is.EqualTo("___eio[](\"1:6\");"));
        });
    }

    [Test]
    public void Request_bodies_are_form_encoded_with_escaped_newlines()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PollingJsonp.UnwrapRequestBody("d=6%3A4hello"), Is.EqualTo("6:4hello"));
            Assert.That(PollingJsonp.UnwrapRequestBody("x=1&d=4a+b"), Is.EqualTo("4a b"));
            // "\n" (backslash, n) stands for a newline; "\\n" for a literal backslash-n.
            Assert.That(PollingJsonp.UnwrapRequestBody("d=" + Uri.EscapeDataString("4a\\nb")), Is.EqualTo("4a\nb"));
            Assert.That(PollingJsonp.UnwrapRequestBody("d=" + Uri.EscapeDataString("4a\\\\nb")), Is.EqualTo("4a\\nb"));
        });
    }

    [TestCase("")]
    [TestCase("x=1")]
    [TestCase("d=1&d=2")]
    public void Bodies_without_exactly_one_d_field_are_protocol_errors(string body)
    {
        Assert.Throws<ProtocolException>(() => PollingJsonp.UnwrapRequestBody(body));
    }
}
