using Signaling.Server.SocketIo.Recovery;

namespace Signaling.Tests.SocketIo;

/// <summary>The pooled chunks that hold the texts of kept events: what is still kept reads back intact while older texts are let go and newer ones reuse the room.</summary>
public sealed class KeptTextsTests
{
    [Test]
    public void Texts_read_back_intact_while_older_ones_are_released_and_newer_ones_added()
    {
        var texts = new KeptTexts();
        var kept = new Queue<(string Text, char[] Chunk, int Start)>();
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var text = new string((char)('a' + i % 26), random.Next(1, 600)) + i;
            var (chunk, start) = texts.Add(text);
            kept.Enqueue((text, chunk, start));
            // A window of up to 40 texts, as a ring whose oldest entries are let go.
            while (kept.Count > random.Next(1, 40))
            {
                texts.Release(kept.Dequeue().Chunk);
            }
            foreach (var (expected, keptChunk, keptStart) in kept)
            {
                Assert.That(new string(keptChunk, keptStart, expected.Length), Is.EqualTo(expected));
            }
        }
    }

    [Test]
    public void A_text_too_long_for_the_emptied_first_chunk_starts_a_chunk_that_is_released_in_turn()
    {
        var texts = new KeptTexts();
        texts.Release(texts.Add("short").Chunk);
        var longer = new string('l', 1000);
        var (first, firstStart) = texts.Add(longer);
        var (second, secondStart) = texts.Add("second");

        texts.Release(first);
        var (third, thirdStart) = texts.Add(new string('t', 2000));

        Assert.That(new string(second, secondStart, "second".Length), Is.EqualTo("second"), "a text still kept is intact");
        Assert.That(new string(third, thirdStart, 2000), Is.EqualTo(new string('t', 2000)));
        Assert.That(firstStart, Is.Zero);
        texts.Release(second);
        texts.Release(third);
    }

    [Test]
    public void A_text_as_long_as_the_limit_fits()
    {
        var texts = new KeptTexts();
        var text = new string('x', KeptTexts.MaxLength);

        var (chunk, start) = texts.Add(text);

        Assert.That(new string(chunk, start, text.Length), Is.EqualTo(text));
    }
}
