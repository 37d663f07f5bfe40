using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Infrastructure;

/// <summary>
/// The conformance fixture on the reference implementation: js/reference-fixture.js
/// (socket.io 4.8.4, EIO3 allowed) under node, on a loopback port the OS chose.
/// </summary>
public sealed class ReferenceServer : IServerUnderTest
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly NodeProcess _process;

    private ReferenceServer(NodeProcess process, int port)
    {
        _process = process;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
    }

    public string Name => "reference";

    public Uri BaseUrl { get; }

    /// <summary>The fixture's stderr: connections that ended for a reason other than a close.</summary>
    public string Diagnostics => _process.StandardError;

    public static async Task<ReferenceServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var process = NodeProcess.Start("reference-fixture.js", ["0"]);
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Listen(
            line =>
            {
                // The first line announces the port; the fixture prints nothing else.
                if (!port.Task.IsCompleted)
                {
                    port.TrySetResult((int)JObject.Parse(line)["port"]!);
                }
            },
            () => port.TrySetException(new InvalidOperationException(
                $"{process.Description} exited with code {process.ExitCode} before listening; stderr:\n{process.StandardError}")));
        try
        {
            return new ReferenceServer(process, await port.Task.WaitAsync(StartTimeout, cancellationToken));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public override string ToString() => $"reference server at {BaseUrl}";
}
