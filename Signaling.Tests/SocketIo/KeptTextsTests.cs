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
    public void A_text_as_long_as_the_limit_fits()
    {
        var texts = new KeptTexts();
        var text = new string('x', KeptTexts.MaxLength);

        var (chunk, start) = texts.Add(text);

        Assert.That(new string(chunk, start, text.Length), Is.EqualTo(text));
    }
}
