using Signaling.Server.EngineIo;

namespace Signaling.Tests.EngineIo;

public sealed class SharedStringsTests
{
    [Test]
    public void An_equal_string_gets_the_kept_copy()
    {
        var table = new SharedStrings(16);
        var first = new string('a', 20);
        var second = new string('a', 20);

        Assert.That(table.Share(first), Is.SameAs(first));
        Assert.That(table.Share(second), Is.SameAs(first));
    }

    [Test]
    public void A_long_string_is_not_kept()
    {
        var table = new SharedStrings(16);
        var first = new string('c', SharedStrings.MaxLength + 1);
        var second = new string('c', SharedStrings.MaxLength + 1);

        Assert.That(table.Share(first), Is.SameAs(first));
        Assert.That(table.Share(second), Is.SameAs(second));
    }

    [Test]
    public void A_string_that_lost_its_slot_is_kept_again_from_its_next_copy()
    {
        // One slot: every other string takes it.
        var table = new SharedStrings(1);
        var first = new string('a', 3);
        table.Share(first);
        table.Share("other");
        var second = new string('a', 3);
        var third = new string('a', 3);

        Assert.That(table.Share(second), Is.SameAs(second), "not shared once evicted");
        Assert.That(table.Share(third), Is.SameAs(second));
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(-4)]
    public void The_size_must_be_a_power_of_two(int slots) =>
        Assert.That(() => new SharedStrings(slots), Throws.TypeOf<ArgumentOutOfRangeException>());
}
