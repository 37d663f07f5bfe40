using Newtonsoft.Json.Linq;
using Signaling.Tests.Infrastructure;

namespace Signaling.Tests.Cluster;

/// <summary>Waiting for the <c>online</c> list a client of a cluster node should end with.</summary>
internal static class PresenceLists
{
    /// <summary>The next list the client receives that <paramref name="matches"/>, within the timeout.</summary>
    public static async Task<JArray> NextAsync(NodeSocketClient client, Func<JArray, bool> matches, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? NodeSocketClient.DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var list = (JArray)(await client.NextEventAsync("online", left > TimeSpan.Zero ? left : TimeSpan.Zero)).Args[0];
            if (matches(list))
            {
                return list;
            }
        }
    }
}
