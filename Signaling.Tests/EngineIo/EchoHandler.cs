using System.Collections.Concurrent;
using Signaling.Protocol.EngineIo;
using Signaling.Server.EngineIo;

namespace Signaling.Tests.EngineIo;

/// <summary>
/// Echoes every message back, and checks the handler contract as it goes: open first, messages
/// never overlapping, close exactly once and last. "close-me" makes it close the connection;
/// "burst" makes four threads send pairs of packets at once.
/// </summary>
internal sealed class EchoHandler : IEngineIoHandler
{
    private readonly ConcurrentDictionary<string, State> _states = new();
    private readonly ConcurrentQueue<string> _violations = new();

    public IReadOnlyCollection<string> Violations => _violations;

    public IEngineConnection? LastOpened { get; private set; }

    public Task<string> ClosedAsync(string sid) => StateOf(sid).Closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

    public IReadOnlyList<EnginePacket> MessagesOf(string sid)
    {
        var state = StateOf(sid);
        lock (state.Messages)
        {
            return [.. state.Messages];
        }
    }

    public void OnOpen(IEngineConnection connection)
    {
        var state = StateOf(connection.Id);
        if (Interlocked.Exchange(ref state.Opened, 1) == 1)
        {
            _violations.Enqueue($"{connection.Id}: opened twice");
        }

        LastOpened = connection;
    }

    public void OnMessage(IEngineConnection connection, EnginePacket packet)
    {
        var state = StateOf(connection.Id);
        if (Interlocked.Increment(ref state.InCall) != 1)
        {
            _violations.Enqueue($"{connection.Id}: overlapping calls");
        }

        if (state.Opened == 0 || state.Closed.Task.IsCompleted)
        {
            _violations.Enqueue($"{connection.Id}: message outside open..close");
        }

        lock (state.Messages)
        {
            state.Messages.Add(packet);
        }

        connection.Send(packet);
        if (packet.Text == "close-me")
        {
            connection.Close("forced close");
        }
        else if (packet.Text == "burst")
        {
            Burst(connection);
        }

        Interlocked.Decrement(ref state.InCall);
    }

    public void OnClose(IEngineConnection connection, string reason)
    {
        var state = StateOf(connection.Id);
        if (Volatile.Read(ref state.InCall) != 0)
        {
            _violations.Enqueue($"{connection.Id}: close during a message");
        }

        if (!state.Closed.TrySetResult(reason))
        {
            _violations.Enqueue($"{connection.Id}: closed twice");
        }
    }

    private static void Burst(IEngineConnection connection)
    {
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                connection.Send([EnginePacket.Message($"pair{t}-{i}-a"), EnginePacket.Message($"pair{t}-{i}-b")]);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        connection.Send(EnginePacket.Message("burst-done"));
    }

    private State StateOf(string sid) => _states.GetOrAdd(sid, _ => new State());

    private sealed class State
    {
        public readonly TaskCompletionSource<string> Closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly List<EnginePacket> Messages = [];
        public int Opened;
        public int InCall;
    }
}
