using Newtonsoft.Json.Linq;
using Signaling.Server.Signaling;

namespace Signaling.Tests.Signaling;

public sealed class PresenceListTests
{
    private static string Json(JToken token) => token.ToString(Newtonsoft.Json.Formatting.None);

    [Test]
    public void The_list_is_oldest_first()
    {
        var list = new PresenceList();
        list.Set("a", "Alice");
        list.Set("b", "Bob");
        Assert.That(Json(list.Snapshot()), Is.EqualTo("""[{"id":"a","name":"Alice"},{"id":"b","name":"Bob"}]"""));
    }

    [Test]
    public void Renaming_keeps_the_place_and_never_duplicates()
    {
        var list = new PresenceList();
        list.Set("a", "Alice");
        list.Set("b", "Bob");
        list.Set("a", "Alicia");
        Assert.That(Json(list.Snapshot()), Is.EqualTo("""[{"id":"a","name":"Alicia"},{"id":"b","name":"Bob"}]"""));
        Assert.That(list.Count, Is.EqualTo(2));
    }

    [Test]
    public void Removing_says_whether_anyone_left_and_their_name()
    {
        var list = new PresenceList();
        list.Set("a", "Alice");
        list.Set("b", "Bob");
        Assert.That(list.Remove("a", out var name), Is.True);
        Assert.That(name, Is.EqualTo("Alice"));
        Assert.That(Json(list.Snapshot()), Is.EqualTo("""[{"id":"b","name":"Bob"}]"""));
        Assert.That(list.Remove("a", out _), Is.False);
        Assert.That(list.Remove("nobody", out _), Is.False);
    }

    [Test]
    public void Busy_is_listed_only_while_set_and_keeps_the_place()
    {
        var list = new PresenceList();
        list.Set("a", "Alice");
        list.Set("b", "Bob");
        list.Set("a", "Alice", busy: true);
        Assert.That(Json(list.Snapshot()), Is.EqualTo("""[{"id":"a","name":"Alice","busy":true},{"id":"b","name":"Bob"}]"""));
        list.Set("a", "Alice");
        Assert.That(Json(list.Snapshot()), Is.EqualTo("""[{"id":"a","name":"Alice"},{"id":"b","name":"Bob"}]"""));
    }

    [TestCase("""{"name":"Alice","busy":true}""", true)]
    [TestCase("""{"name":"Alice","busy":false}""", false)]
    [TestCase("""{"name":"Alice","busy":"yes"}""", false)]
    [TestCase("""{"name":"Alice","busy":1}""", false)]
    [TestCase("""{"name":"Alice"}""", false)]
    [TestCase("\"Alice\"", false)]
    [TestCase("[true]", false)]
    public void Only_a_busy_of_true_is_busy(string sent, bool busy)
    {
        Assert.That(BusyFlag.From(JToken.Parse(sent)), Is.EqualTo(busy));
    }
}
