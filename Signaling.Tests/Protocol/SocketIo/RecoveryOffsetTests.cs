using Signaling.Protocol.SocketIo;

namespace Signaling.Tests.Protocol.SocketIo;

/// <summary>The recovery offset as a last event argument: spliced into relayed and encoded events, read back from a CONNECT.</summary>
public sealed class RecoveryOffsetTests
{
    [TestCase("2[\"offer\",\"B\",{\"sdp\":\"v=0\"}]", 7L, "2[\"offer\",\"A\",{\"sdp\":\"v=0\"},\"7\"]")]
    [TestCase("2[\"hangup\",\"B\"]", 1234567890123L, "2[\"hangup\",\"A\",\"1234567890123\"]")]
    [TestCase("215[\"candidate\",\"B\",1]", 0L, "2[\"candidate\",\"A\",1,\"0\"]")]
    [TestCase("2/chat,[\"candidate\" , \"B\" , [1,2] ] ", 42L, "2/chat,[\"candidate\" , \"A\" , [1,2] ,\"42\"] ")]
    [TestCase("51-[\"offer\",\"B\",{\"_placeholder\":true,\"num\":0}]", 9L, "51-[\"offer\",\"A\",{\"_placeholder\":true,\"num\":0},\"9\"]")]
    public void A_relayed_event_carries_the_offset_after_its_payload(string received, long offset, string forwarded)
    {
        var splice = SocketEventSplice.Parse(received);

        Assert.That(splice.WithSender("A", offset), Is.EqualTo(forwarded));
        Assert.That(splice.WithSender("A"), Is.EqualTo(forwarded.Replace($",\"{offset}\"", "")), "without an offset the splice is as before");
    }

    [Test]
    public void An_encoded_event_gets_the_offset_as_its_last_argument() =>
        Assert.That(RecoveryOffset.AppendTo("2/x,[\"online\",[{\"id\":\"a\"}]]", long.MaxValue), Is.EqualTo($"2/x,[\"online\",[{{\"id\":\"a\"}}],\"{long.MaxValue}\"]"));

    [Test]
    public void Only_an_encoded_event_can_take_an_offset() =>
        Assert.Throws<ArgumentException>(() => RecoveryOffset.AppendTo("0{\"sid\":\"x\"}", 1));

    [TestCase("17", true, 17L)]
    [TestCase("0", true, 0L)]
    [TestCase("9223372036854775807", true, long.MaxValue)]
    [TestCase("9223372036854775808", false, 0L)]
    [TestCase("", false, 0L)]
    [TestCase("-1", false, 0L)]
    [TestCase("+1", false, 0L)]
    [TestCase(" 1", false, 0L)]
    [TestCase("OlMAFd4", false, 0L)]
    [TestCase("١٢", false, 0L)]
    [TestCase(null, false, 0L)]
    public void Only_offsets_this_server_writes_are_read_back(string? text, bool valid, long expected)
    {
        Assert.That(RecoveryOffset.TryParse(text, out var offset), Is.EqualTo(valid));
        Assert.That(offset, Is.EqualTo(expected));
    }
}
