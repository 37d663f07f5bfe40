using Newtonsoft.Json.Linq;
using Signaling.Server.SocketIo;
using Wire = Signaling.Protocol.Cluster;

namespace Signaling.Server.Cluster;

/// <summary>
/// Between the server's <see cref="BroadcastOptions"/> and the cluster wire's opts
/// (<see cref="Wire.BroadcastOptions"/>, flags as Node writes them), and between fetched sockets and their wire form.
/// </summary>
internal static class WireOptions
{
    public static Wire.BroadcastOptions ToWire(BroadcastOptions options)
    {
        JObject? flags = null;
        if (options.Flags.Volatile)
        {
            (flags ??= [])["volatile"] = true;
        }
        if (options.Flags.Compress is { } compress)
        {
            (flags ??= [])["compress"] = compress;
        }
        if (options.Flags.Timeout is { } timeout)
        {
            (flags ??= [])["timeout"] = (long)timeout.TotalMilliseconds;
        }
        return new Wire.BroadcastOptions(RoomSets.ToList(options.Rooms), RoomSets.ToList(options.Except), flags);
    }

    public static BroadcastOptions FromWire(Wire.BroadcastOptions options) => new(
        RoomSets.Of(options.Rooms),
        RoomSets.Of(options.Except),
        new BroadcastFlags(
            Volatile: options.IsVolatile,
            Compress: options.Compress,
            Timeout: options.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null));

    /// <summary>A socket of this node as a fetch answer describes it.</summary>
    public static Wire.RemoteSocketDetails ToWire(SocketIoSocket socket) =>
        new(socket.Id, socket.Handshake.ToJson(), [.. socket.Rooms], socket.Data?.DeepClone() ?? JValue.CreateNull());

    /// <summary>A socket another node described; no data (Node's <c>undefined</c>) stays null.</summary>
    public static RemoteSocket FromWire(SocketIoNamespace nsp, Wire.RemoteSocketDetails socket) => new(
        nsp,
        socket.Id,
        socket.Handshake,
        socket.Rooms.ToHashSet(StringComparer.Ordinal),
        socket.Data is { Type: not JTokenType.Null } data ? data : null);
}
