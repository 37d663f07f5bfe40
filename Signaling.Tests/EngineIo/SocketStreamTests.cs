using System.Net;
using System.Net.Sockets;
using System.Text;
using Signaling.Server.EngineIo;

namespace Signaling.Tests.EngineIo;

/// <summary>
/// The stream under the WebSockets served from accepted sockets, over real loopback TCP pairs:
/// gathered writes arrive whole and in order even when the kernel is full and two writers (the
/// WebSocket's frames and its control replies) write at once; buffered reads hand out every byte;
/// a reset reads as the end; closing sends what was still queued.
/// </summary>
public sealed class SocketStreamTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Writes_from_two_writers_arrive_whole_and_each_in_order_past_a_full_kernel()
    {
        var (server, client) = await ConnectedPairAsync();
        using var _ = client;
        // Small buffers and a reader that starts late: most sends find the kernel full.
        server.SendBufferSize = 8192;
        using var stream = new SocketStream(server, new SocketReceiver());
        const int Records = 150;
        var writers = Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
        {
            for (var index = 0; index < Records; index++)
            {
                await stream.WriteAsync(Record(writer, index));
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        var expected = Enumerable.Range(0, 2).Sum(writer => Enumerable.Range(0, Records).Sum(index => Record(writer, index).Length));
        var received = await ReadExactlyAsync(client, expected);
        await Task.WhenAll(writers).WaitAsync(Limit);

        var next = new int[2];
        var offset = 0;
        while (offset < received.Length)
        {
            var headerEnd = Array.IndexOf(received, (byte)'\n', offset);
            var header = Encoding.ASCII.GetString(received, offset, headerEnd - offset).Split(',');
            int writer = int.Parse(header[0]), index = int.Parse(header[1]), length = int.Parse(header[2]);
            Assert.That(index, Is.EqualTo(next[writer]), $"writer {writer}'s records in order");
            Assert.That(received.AsSpan(headerEnd + 1, length).IndexOfAnyExcept(Fill(writer, index)), Is.EqualTo(-1), $"record {writer},{index} whole");
            next[writer]++;
            offset = headerEnd + 1 + length;
        }

        Assert.That(next, Is.EqualTo(new[] { Records, Records }));
    }

    [Test]
    public async Task Reads_of_any_size_hand_out_every_byte_and_a_reset_reads_as_the_end()
    {
        var (server, client) = await ConnectedPairAsync();
        using var stream = new SocketStream(server, new SocketReceiver());
        var sent = Enumerable.Range(0, 50_000).Select(index => (byte)(index * 7)).ToArray();
        await client.SendAsync(sent, SocketFlags.None);

        // As a WebSocket reads: a 14-byte header buffer, then payloads of other sizes.
        var received = new List<byte>();
        var sizes = new[] { 14, 1, 300, 4096, 20_000 };
        for (var call = 0; received.Count < sent.Length; call++)
        {
            var buffer = new byte[sizes[call % sizes.Length]];
            var count = await stream.ReadAsync(buffer).AsTask().WaitAsync(Limit);
            Assert.That(count, Is.Positive, "data still to come");
            received.AddRange(buffer.AsSpan(0, count).ToArray());
        }

        Assert.That(received, Is.EqualTo(sent));
        client.LingerState = new LingerOption(true, 0);
        client.Close();
        Assert.That(await stream.ReadAsync(new byte[14]).AsTask().WaitAsync(Limit), Is.Zero);
    }

    [Test]
    public async Task Closing_sends_what_was_still_queued_then_ends_the_connection()
    {
        var (server, client) = await ConnectedPairAsync();
        using var _ = client;
        var stream = new SocketStream(server, new SocketReceiver());
        await stream.WriteAsync("last words"u8.ToArray());
        await stream.DisposeAsync();

        var received = new List<byte>();
        var buffer = new byte[64];
        int count;
        while ((count = await client.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Limit)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, count).ToArray());
        }

        Assert.That(Encoding.ASCII.GetString([.. received]), Is.EqualTo("last words"));
    }

    private static byte[] Record(int writer, int index)
    {
        // Sizes from a few bytes to past the 64 KiB that is sent at once.
        var length = (index * 7919 + writer * 104_729) % 90_000 + 1;
        var header = Encoding.ASCII.GetBytes($"{writer},{index},{length}\n");
        return [.. header, .. Enumerable.Repeat(Fill(writer, index), length)];
    }

    private static byte Fill(int writer, int index) => (byte)('a' + (writer * 13 + index) % 26);

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int length)
    {
        var data = new byte[length];
        var offset = 0;
        while (offset < length)
        {
            var count = await socket.ReceiveAsync(data.AsMemory(offset), SocketFlags.None).AsTask().WaitAsync(Limit);
            Assert.That(count, Is.Positive, $"the connection ended after {offset} of {length} bytes");
            offset += count;
        }

        return data;
    }

    private static async Task<(Socket Server, Socket Client)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8192 };
        var accepted = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        return (await accepted, client);
    }
}
