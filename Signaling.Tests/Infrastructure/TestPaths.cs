namespace Signaling.Tests.Infrastructure;

/// <summary>Where the test project's JavaScript side lives, found from the test binaries.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> JsDirectoryValue = new(FindJsDirectory);

    /// <summary>Signaling.Tests/js: the client driver, the reference fixture and their node_modules.</summary>
    public static string JsDirectory => JsDirectoryValue.Value;

    // The binaries sit in bin/<configuration>/<framework> under the project, so walk up
    // rather than copy the scripts: node resolves the clients from js/node_modules.
    private static string FindJsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "js");
            if (File.Exists(Path.Combine(candidate, "client-driver.js")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No js/client-driver.js above {AppContext.BaseDirectory}; the test project's js folder is missing.");
    }
}
