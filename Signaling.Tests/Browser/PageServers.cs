using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Browser;

/// <summary>
/// Starts the server the browser tests run against: ours, in-process, by default; the Node.js
/// reference relay when <c>SIGNALING_TEST_SERVER=reference</c> (to check the page and the test
/// themselves against a known-good server).
/// </summary>
internal static class PageServers
{
    public static async Task<IServerUnderTest> StartAsync(CancellationToken cancellationToken)
    {
        var choice = Environment.GetEnvironmentVariable(ServerUnderTest.EnvironmentVariable);
        return choice switch
        {
            null or "" or "ours" => await StartOursAsync([], cancellationToken),
            "reference" => await ReferencePageServer.StartAsync(cancellationToken),
            _ => throw new InvalidOperationException($"{ServerUnderTest.EnvironmentVariable}={choice} is not known; use 'ours' (the default) or 'reference'."),
        };
    }

    /// <summary>Ours, whatever the variable says: for tests of our server's own options (paths).</summary>
    public static async Task<IServerUnderTest> StartOursAsync(string[] options, CancellationToken cancellationToken) =>
        await InProcessServer.StartAsync(["serve", "--web-root", RepositoryLayout.WebRoot, .. options], cancellationToken);
}
