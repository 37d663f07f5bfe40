namespace Signaling.Tests.Infrastructure;

/// <summary>Paths in the checkout the tests need: the page, the Node scripts, the reference relay, the benchmark.</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string WebRoot => Path.Combine(Root, "web");

    /// <summary>Signaling.Tests/js: the client driver, the browser script and their node_modules.</summary>
    public static string TestScripts => Path.Combine(Root, "Signaling.Tests", "js");

    public static string ReferenceServer => Path.Combine(Root, "bench", "reference");

    public static string Bench => Path.Combine(Root, "bench");

    // The tests run from bin/<config>/<tfm>; the solution file marks the top of the checkout.
    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebRtcSignaling.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No WebRtcSignaling.sln above {TestContext.CurrentContext.TestDirectory}; the tests need the repository checkout.");
    }
}
