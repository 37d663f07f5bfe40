using System.Text;
using System.Threading.Channels;

namespace Signaling.Tests.Cluster;

/// <summary>
/// Every PUBLISH and SPUBLISH a Redis server executes, with the exact bytes, read from MONITOR (which sees
/// shard channels too, where no pattern subscription can reach).
/// </summary>
public sealed class RedisMonitor : IAsyncDisposable
{
    private readonly RedisClient _client;
    private readonly Channel<Publication> _publications = Channel.CreateUnbounded<Publication>();
    private readonly Task _pump;

    private RedisMonitor(RedisClient client)
    {
        _client = client;
        _pump = Task.Run(PumpAsync);
    }

    public sealed record Publication(string Command, string Channel, byte[] Payload)
    {
        public override string ToString() => $"{Command} {Channel} {Convert.ToHexStringLower(Payload)}";
    }

    public static async Task<RedisMonitor> StartAsync(RedisServer server)
    {
        var client = await RedisClient.ConnectAsync(server.Port);
        if (await client.CommandAsync("MONITOR") is not "OK")
        {
            throw new InvalidOperationException("MONITOR was refused");
        }

        return new RedisMonitor(client);
    }

    /// <summary>The next publication whose channel passes <paramref name="match"/>, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<Publication> NextAsync(Func<Publication, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                Publication publication = await _publications.Reader.ReadAsync(cancel.Token);
                if (match(publication))
                {
                    return publication;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching PUBLISH/SPUBLISH within {timeout}");
        }
    }

    /// <summary>Drops what was captured so far (the publications of a setup step).</summary>
    public void Clear()
    {
        while (_publications.Reader.TryRead(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        try
        {
            await _pump;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection was closed under the reader.
        }
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            byte[] line = await _client.ReadLineAsync();
            // +1700000000.123456 [0 127.0.0.1:5555] "PUBLISH" "channel" "payload"
            List<byte[]> arguments = ParseQuoted(line);
            if (arguments.Count == 3 && Encoding.ASCII.GetString(arguments[0]).ToUpperInvariant() is "PUBLISH" or "SPUBLISH")
            {
                _publications.Writer.TryWrite(new Publication(
                    Encoding.ASCII.GetString(arguments[0]).ToUpperInvariant(), Encoding.UTF8.GetString(arguments[1]), arguments[2]));
            }
        }
    }

    // The quoted arguments of a MONITOR line, unescaped (redis's sdscatrepr: \\ \" \n \r \t \a \b \xHH).
    private static List<byte[]> ParseQuoted(byte[] line)
    {
        var arguments = new List<byte[]>();
        int i = Array.IndexOf(line, (byte)']');
        while (i >= 0 && i < line.Length)
        {
            int open = Array.IndexOf(line, (byte)'"', i + 1);
            if (open < 0)
            {
                break;
            }

            var argument = new List<byte>();
            for (i = open + 1; line[i] != '"'; i++)
            {
                if (line[i] != '\\')
                {
                    argument.Add(line[i]);
                    continue;
                }

                i++;
                switch ((char)line[i])
                {
                    case 'n': argument.Add((byte)'\n'); break;
                    case 'r': argument.Add((byte)'\r'); break;
                    case 't': argument.Add((byte)'\t'); break;
                    case 'a': argument.Add(7); break;
                    case 'b': argument.Add(8); break;
                    case 'x':
                        argument.Add(Convert.FromHexString(Encoding.ASCII.GetString(line, i + 1, 2))[0]);
                        i += 2;
                        break;
                    default: argument.Add(line[i]); break;
                }
            }

            arguments.Add([.. argument]);
        }

        return arguments;
    }
}
