using System.ComponentModel.DataAnnotations;
using Signaling.Protocol.Cluster;

namespace Signaling.Server.Cluster;

/// <summary>
/// The cluster, bound from the <c>Redis</c> configuration section. Without a configuration
/// string the server is one node, in memory.
/// </summary>
public sealed class RedisOptions : IValidatableObject
{
    private static readonly Dictionary<string, ShardedSubscriptionMode> Modes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["static"] = ShardedSubscriptionMode.Static,
        ["dynamic"] = ShardedSubscriptionMode.Dynamic,
        ["dynamic-private"] = ShardedSubscriptionMode.DynamicPrivate,
    };

    /// <summary>The configuration section it binds from.</summary>
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string such as <c>127.0.0.1:6379</c>; unset: no cluster.</summary>
    public string? Configuration { get; set; }

    /// <summary>The first part of every channel name, as the Node adapters' <c>key</c> / <c>channelPrefix</c>.</summary>
    public string ChannelPrefix { get; set; } = "socket.io";

    /// <summary>Sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7), as <c>createShardedAdapter</c>; else classic, as <c>createAdapter</c>.</summary>
    public bool Sharded { get; set; }

    /// <summary>
    /// The sharded adapter's <c>subscriptionMode</c>, the same on every node: <c>static</c> (everything on the
    /// namespace's channel), <c>dynamic</c> (unset: a public room has a channel of its own) or <c>dynamic-private</c>
    /// (socket-id rooms too). Empty is unset.
    /// </summary>
    public string? SubscriptionMode { get; set; }

    /// <summary><see cref="SubscriptionMode"/> read.</summary>
    internal ShardedSubscriptionMode ShardedMode =>
        SubscriptionMode is { } mode && Modes.TryGetValue(mode, out var parsed) ? parsed : ShardedSubscriptionMode.Dynamic;

    /// <summary>How long a request to the other nodes (fetchSockets, allRooms, serverSideEmit with acks) waits for their answers.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a node of ours tells the others it is alive (sharded mode; the classic wire has no heartbeat).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A node of ours silent for this long is taken as gone.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether a Redis is named: the server is then a node of a cluster.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    /// <summary>Checks <see cref="SubscriptionMode"/>: a known mode, and only with <see cref="Sharded"/>.</summary>
    /// <param name="validationContext">Unused: the rules need nothing else.</param>
    /// <returns>One result per mistake.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(SubscriptionMode))
        {
            yield break;
        }
        if (!Modes.ContainsKey(SubscriptionMode))
        {
            yield return new ValidationResult("is not a subscription mode: use static, dynamic or dynamic-private", [nameof(SubscriptionMode)]);
        }
        else if (!Sharded)
        {
            yield return new ValidationResult("applies to the sharded adapter only: set Redis:Sharded=true too", [nameof(SubscriptionMode)]);
        }
    }
}
