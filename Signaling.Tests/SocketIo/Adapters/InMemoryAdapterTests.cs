namespace Signaling.Tests.SocketIo.Adapters;

/// <summary>The adapter specification on one node: every operation stays local.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class InMemoryAdapterTests : AdapterSpecification
{
    internal override async Task<AdapterCluster> StartClusterAsync()
    {
        var host = await SocketIoTestHost.StartAsync();
        return new AdapterCluster(host, host);
    }
}
