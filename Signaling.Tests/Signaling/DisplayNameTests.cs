using Newtonsoft.Json.Linq;
using Signaling.Server.Signaling;

namespace Signaling.Tests.Signaling;

public sealed class DisplayNameTests
{
    private const string Id = "socket-id";

    [Test]
    public void A_string_is_trimmed() =>
        Assert.That(DisplayName.From(new JValue("  Alice \t"), Id), Is.EqualTo("Alice"));

    [Test]
    public void An_object_gives_its_name_field() =>
        Assert.That(DisplayName.From(new JObject { ["name"] = "Bob" }, Id), Is.EqualTo("Bob"));

    [TestCase("42")]
    [TestCase("true")]
    [TestCase("null")]
    [TestCase("[\"Alice\"]")]
    [TestCase("[[[[\"deep\"]]]]")]
    [TestCase("{\"name\":7}")]
    [TestCase("{\"name\":{\"name\":\"x\"}}")]
    [TestCase("{}")]
    [TestCase("\"   \"")]
    public void Anything_but_a_usable_string_falls_back_to_the_socket_id(string json) =>
        Assert.That(DisplayName.From(JToken.Parse(json), Id), Is.EqualTo(Id));

    [Test]
    public void No_argument_falls_back_to_the_socket_id() =>
        Assert.That(DisplayName.From(null, Id), Is.EqualTo(Id));

    [Test]
    public void A_long_name_is_cut_to_100_characters() =>
        Assert.That(DisplayName.From(new JValue(new string('x', 5000)), Id), Is.EqualTo(new string('x', 100)));

    [Test]
    public void Cutting_never_splits_a_surrogate_pair()
    {
        var name = new string('x', 99) + "😀" + "tail";
        var result = DisplayName.From(new JValue(name), Id);
        Assert.That(result, Is.EqualTo(new string('x', 99)));
        Assert.That(result.Any(char.IsSurrogate), Is.False);
    }
}
