using System.Net.Sockets;
using System.Text;

namespace Signaling.Tests.Cluster;

/// <summary>
/// A bare RESP2 connection to a test's redis-server, for the few commands the tests send themselves
/// (PING, PUBSUB NUMSUB, PUBLISH, MONITOR): the test project has no Redis library, and needs none.
/// Replies come back as strings, longs, null, or object[] for arrays.
/// </summary>
public sealed class RedisClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RedisClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RedisClient> ConnectAsync(int port, CancellationToken cancellationToken = default)
    {
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
            return new RedisClient(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command and reads its reply.</summary>
    public async Task<object?> CommandAsync(params object[] arguments)
    {
        await SendAsync(arguments);
        return await ReadReplyAsync();
    }

    public async Task SendAsync(params object[] arguments)
    {
        var command = new MemoryStream();
        Write(command, $"*{arguments.Length}\r\n");
        foreach (object argument in arguments)
        {
            byte[] bytes = argument as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(argument, System.Globalization.CultureInfo.InvariantCulture)!);
            Write(command, $"${bytes.Length}\r\n");
            command.Write(bytes);
            Write(command, "\r\n");
        }

        await _stream.WriteAsync(command.ToArray());
    }

    /// <summary>Reads one reply: a simple string, an error (thrown), an integer, a bulk string (as bytes), an array.</summary>
    public async Task<object?> ReadReplyAsync()
    {
        byte[] line = await ReadLineAsync();
        string rest = Encoding.UTF8.GetString(line, 1, line.Length - 1);
        switch ((char)line[0])
        {
            case '+':
                return rest;
            case '-':
                throw new InvalidOperationException($"Redis error: {rest}");
            case ':':
                return long.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
            case '$':
                int length = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                byte[] bulk = await ReadExactlyAsync(length + 2);
                return bulk[..length];
            case '*':
                int count = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }

                var items = new object?[count];
                for (int i = 0; i < count; i++)
                {
                    items[i] = await ReadReplyAsync();
                }

                return items;
            default:
                throw new InvalidOperationException($"Unexpected RESP reply {Encoding.UTF8.GetString(line)}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>One line without its CRLF (MONITOR sends one a command).</summary>
    public async Task<byte[]> ReadLineAsync()
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline > _start && _buffer[newline - 1] == '\r')
            {
                byte[] line = _buffer[_start..(newline - 1)];
                _start = newline + 1;
                return line;
            }

            await FillAsync();
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        int copied = 0;
        while (copied < count)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            int chunk = Math.Min(count - copied, _end - _start);
            Array.Copy(_buffer, _start, result, copied, chunk);
            _start += chunk;
            copied += chunk;
        }

        return result;
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidOperationException("RESP line longer than the read buffer");
        }

        int read = await _stream.ReadAsync(_buffer.AsMemory(_end));
        if (read == 0)
        {
            throw new EndOfStreamException("Redis closed the connection");
        }

        _end += read;
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));
}
