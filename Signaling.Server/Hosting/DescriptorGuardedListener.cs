using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Signaling.Server.EngineIo;

namespace Signaling.Server.Hosting;

/// <summary>
/// Accepts Kestrel's connections on one listening socket, up to the open-files limit and no
/// further: a connection that would leave fewer than <see cref="DescriptorBudget.Reserve"/>
/// descriptors free is closed at once (the client sees the connection end, as with the Node.js
/// server at its limit), and when accept itself fails for lack of descriptors the loop pauses
/// instead of retrying at once. Both are reported at most once per <see cref="ReportInterval"/>,
/// with how many connections the report covers, so a flood of clients cannot flood the log.
/// Given <see cref="EngineIoSocketConnections"/>, each new connection goes there first, and
/// reaches Kestrel only if it is not an Engine.IO WebSocket served straight from its socket.
/// </summary>
internal sealed partial class DescriptorGuardedListener : IConnectionListener
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    // The pending connection stays in the backlog meanwhile; a closing connection frees a
    // descriptor for it within this pause.
    private static readonly TimeSpan OutOfDescriptorsPause = TimeSpan.FromMilliseconds(100);

    // Below this limit the log says at start that the server will hold few connections.
    private const long LowLimit = 4096;

    private readonly Socket _listenSocket;
    private readonly DescriptorBudget? _budget;
    private readonly bool _noDelay;
    private readonly SocketConnectionContextFactory _connections;
    private readonly EngineIoSocketConnections? _engineIo;
    private readonly ILogger _logger;
    private readonly Channel<Socket> _forKestrel = Channel.CreateUnbounded<Socket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _unbound = new();
    private readonly Task _acceptLoop;
    private readonly ThrottledReport _refused;
    private readonly ThrottledReport _acceptFailures;
    private long _inUseAtLastRefusal;
    private string _lastAcceptError = "";

    public DescriptorGuardedListener(Socket listenSocket, DescriptorBudget? budget, bool noDelay, SocketConnectionContextFactory connections, EngineIoSocketConnections? engineIo, ILogger<DescriptorGuardedListener> logger)
    {
        _listenSocket = listenSocket;
        _budget = budget;
        _noDelay = noDelay;
        _connections = connections;
        _engineIo = engineIo;
        _logger = logger;
        EndPoint = listenSocket.LocalEndPoint!;
        _refused = new ThrottledReport(count => Refusing(logger, count, Volatile.Read(ref _inUseAtLastRefusal), budget!.Limit, DescriptorBudget.Reserve, EndPoint));
        _acceptFailures = new ThrottledReport(count => AcceptFailing(logger, count, Volatile.Read(ref _lastAcceptError), EndPoint));
        if (budget is not null)
        {
            var open = DescriptorBudget.OpenNow();
            var room = budget.Limit - open - DescriptorBudget.Reserve;
            if (budget.Limit < LowLimit)
            {
                LowDescriptorLimit(logger, budget.Limit, open, DescriptorBudget.Reserve, room, EndPoint);
            }
            else
            {
                DescriptorLimit(logger, budget.Limit, open, DescriptorBudget.Reserve, room, EndPoint);
            }
        }

        _acceptLoop = AcceptLoopAsync();
    }

    public EndPoint EndPoint { get; }

    /// <summary>The next connection for Kestrel; null once the listener is unbound.</summary>
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (await _forKestrel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_forKestrel.Reader.TryRead(out var socket))
            {
                return _connections.Create(socket);
            }
        }

        return null;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (await AcceptOneAsync().ConfigureAwait(false) is { } socket)
            {
                try
                {
                    if (socket.LocalEndPoint is IPEndPoint)
                    {
                        socket.NoDelay = _noDelay;
                    }
                }
                catch (SocketException exception)
                {
                    // Reset as soon as accepted: the loop must go on.
                    AcceptReset(_logger, exception.SocketErrorCode, EndPoint);
                    socket.Dispose();
                    continue;
                }

                if (_engineIo is null)
                {
                    HandToKestrel(socket);
                }
                else
                {
                    _ = SortAsync(_engineIo, socket);
                }
            }
        }
        finally
        {
            _forKestrel.Writer.TryComplete();
        }
    }

    /// <summary>The next socket within the descriptor budget; null once the listening socket is closed.</summary>
    private async Task<Socket?> AcceptOneAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listenSocket.AcceptAsync(_unbound.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or OperationCanceledException
                || exception is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                // Unbound or disposed: no more connections.
                return null;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // EMFILE, ENFILE or ENOBUFS. Something other than connections filled the table
                // (connections stop short of it), or the whole system ran out.
                Volatile.Write(ref _lastAcceptError, exception.Message);
                _acceptFailures.Add();
                try
                {
                    await Task.Delay(OutOfDescriptorsPause, _unbound.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }

                continue;
            }
            catch (SocketException exception)
            {
                // Reset while waiting in the backlog: take the next one, as Kestrel does.
                AcceptReset(_logger, exception.SocketErrorCode, EndPoint);
                continue;
            }

            if (_budget is not null && _budget.LeavesTooFew(socket))
            {
                Volatile.Write(ref _inUseAtLastRefusal, socket.SafeHandle.DangerousGetHandle() + 1);
                socket.Dispose();
                _refused.Add();
                continue;
            }

            return socket;
        }
    }

    /// <summary>Lets Engine.IO take the connection if it is one of its WebSockets, else hands it to Kestrel.</summary>
    private async Task SortAsync(EngineIoSocketConnections engineIo, Socket socket)
    {
        try
        {
            if (!await engineIo.TryServeAsync(socket, _unbound.Token).ConfigureAwait(false))
            {
                HandToKestrel(socket);
            }
        }
        catch (Exception exception)
        {
            // A bug, not a client: the connection is closed and the listener goes on.
            SortFailed(_logger, exception, EndPoint);
            socket.Dispose();
        }
    }

    private void HandToKestrel(Socket socket)
    {
        if (!_forKestrel.Writer.TryWrite(socket))
        {
            // Unbound meanwhile: Kestrel accepts no more.
            socket.Dispose();
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbound.Cancel();
        _listenSocket.Dispose();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await UnbindAsync().ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
        while (_forKestrel.Reader.TryRead(out var socket))
        {
            socket.Dispose();
        }

        _connections.Dispose();
        _unbound.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Open files: limit {Limit}, {Open} in use at start, {Reserve} kept free for the runtime: room for about {Room} connections on {EndPoint}")]
    private static partial void DescriptorLimit(ILogger logger, long limit, int open, int reserve, long room, EndPoint endPoint);

    [LoggerMessage(2, LogLevel.Warning, "Open files: limit {Limit} is low, {Open} in use at start, {Reserve} kept free for the runtime: room for only about {Room} connections on {EndPoint}. Raise it with `ulimit -n` or systemd's LimitNOFILE= (README, 'Open files')")]
    private static partial void LowDescriptorLimit(ILogger logger, long limit, int open, int reserve, long room, EndPoint endPoint);

    [LoggerMessage(3, LogLevel.Warning, "Refused {Count} connection(s) on {EndPoint} since the last report: {InUse} descriptors in use of a limit of {Limit}, {Reserve} kept free for the runtime. Raise the open-files limit to hold more (README, 'Open files')")]
    private static partial void Refusing(ILogger logger, long count, long inUse, long limit, int reserve, EndPoint endPoint);

    [LoggerMessage(4, LogLevel.Warning, "Accepting on {EndPoint} failed {Count} time(s) since the last report ({Error}); pausing between attempts")]
    private static partial void AcceptFailing(ILogger logger, long count, string error, EndPoint endPoint);

    [LoggerMessage(5, LogLevel.Debug, "A connection on {EndPoint} was reset before it was accepted ({Error})")]
    private static partial void AcceptReset(ILogger logger, SocketError error, EndPoint endPoint);

    [LoggerMessage(6, LogLevel.Error, "Looking at a new connection on {EndPoint} failed; it was closed")]
    private static partial void SortFailed(ILogger logger, Exception exception, EndPoint endPoint);

    /// <summary>
    /// Counts events and reports them: the first at once, then at most once per
    /// <see cref="ReportInterval"/>, each report with the count since the last; events held back
    /// are reported when the interval ends, even if no more come.
    /// </summary>
    private sealed class ThrottledReport(Action<long> report)
    {
        private readonly Lock _lock = new();
        private long _count;
        private long _nextReport;
        private bool _reportScheduled;

        public void Add()
        {
            lock (_lock)
            {
                _count++;
                var now = Stopwatch.GetTimestamp();
                if (now >= _nextReport)
                {
                    ReportLocked(now);
                }
                else if (!_reportScheduled)
                {
                    _reportScheduled = true;
                    _ = ReportLaterAsync(Stopwatch.GetElapsedTime(now, _nextReport));
                }
            }
        }

        // No cancellation: at most one short timer per listener, and a report after shutdown harms nothing.
        private async Task ReportLaterAsync(TimeSpan delay)
        {
            await Task.Delay(delay, CancellationToken.None);
            lock (_lock)
            {
                _reportScheduled = false;
                if (_count > 0)
                {
                    ReportLocked(Stopwatch.GetTimestamp());
                }
            }
        }

        private void ReportLocked(long now)
        {
            report(_count);
            _count = 0;
            _nextReport = now + (long)(ReportInterval.TotalSeconds * Stopwatch.Frequency);
        }
    }
}
