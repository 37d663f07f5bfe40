using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Browser;

/// <summary>The Node.js reference relay (bench/reference/server.js) serving web/, on a free loopback port.</summary>
internal sealed class ReferencePageServer : IServerUnderTest
{
    private const string ReadyLine = "reference listening on ";

    private readonly Process process;

    private ReferencePageServer(Process process, Uri address)
    {
        this.process = process;
        BaseUrl = address;
    }

    public string Name => "reference";

    public Uri BaseUrl { get; }

    /// <summary>The relay's stderr goes to the test progress output as it comes.</summary>
    public string Diagnostics => "";

    public static async Task<ReferencePageServer> StartAsync(CancellationToken cancellationToken)
    {
        var directory = RepositoryLayout.ReferenceServer;
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "socket.io")))
        {
            throw new InvalidOperationException($"The reference relay is not installed; run `npm ci` in {directory}.");
        }

        // server.js takes a port and prints the one it was given, so pick a free one first.
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.js");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(RepositoryLayout.WebRoot);

        var process = new Process { StartInfo = start };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith(ReadyLine, StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) TestContext.Progress.WriteLine($"reference: {e.Data}");
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("The reference relay exited before it was listening."));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ReferencePageServer(process, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
