using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Signaling.Tests.Cluster;

/// <summary>How to start js/cluster-node.js (see its header for what each option does on the Node side).</summary>
public sealed record NodeClusterNodeOptions(ClusterAdapterMode Mode)
{
    public string Prefix { get; init; } = "socket.io";

    /// <summary>The classic adapter's requestsTimeout; null = its default, 5 s.</summary>
    public TimeSpan? RequestsTimeout { get; init; }

    public bool PublishOnSpecificResponseChannel { get; init; }

    /// <summary>The sharded adapter's subscriptionMode (<c>dynamic</c> when null).</summary>
    public string? SubscriptionMode { get; init; }

    /// <summary>0: a port the OS picks; a node restarted on its old port passes that one.</summary>
    public int Port { get; init; }

    public string ToConfig(RedisServer redis)
    {
        var config = new JObject
        {
            ["redisUrl"] = redis.Url,
            ["mode"] = Mode == ClusterAdapterMode.Sharded ? "sharded" : "classic",
            ["prefix"] = Prefix,
            ["port"] = Port,
            ["publishOnSpecificResponseChannel"] = PublishOnSpecificResponseChannel,
        };
        if (RequestsTimeout is { } timeout)
        {
            config["requestsTimeout"] = (long)timeout.TotalMilliseconds;
        }

        if (SubscriptionMode is not null)
        {
            config["subscriptionMode"] = SubscriptionMode;
        }

        return config.ToString(Formatting.None);
    }
}
