namespace Signaling.Tests.Infrastructure;

/// <summary>Starts the server the interop tests run against, chosen by SIGNALING_TEST_SERVER.</summary>
public static class ServerUnderTest
{
    public const string EnvironmentVariable = "SIGNALING_TEST_SERVER";

    /// <summary>
    /// SIGNALING_TEST_SERVER=reference runs reference-fixture.js (socket.io 4.8.4) under node;
    /// =ours (the default) runs our server's conformance command in this process.
    /// </summary>
    public static async Task<IServerUnderTest> StartAsync(CancellationToken cancellationToken = default)
    {
        var choice = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return choice?.Trim().ToLowerInvariant() switch
        {
            null or "" or "ours" => await InProcessServer.StartAsync(cancellationToken),
            "reference" => await ReferenceServer.StartAsync(cancellationToken),
            _ => throw new InvalidOperationException($"{EnvironmentVariable}={choice}: expected 'ours' or 'reference'."),
        };
    }
}
