using Newtonsoft.Json.Linq;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// One socket in a fetchSockets answer, as socket.io's RemoteSocket reads it: <c>{id, handshake, rooms, data}</c>.
/// The handshake has Node's shape: <c>headers, time</c> (JS Date text), <c>address, xdomain, secure, issued</c>
/// (epoch ms), <c>url, query, auth</c>.
/// </summary>
internal sealed class RemoteSocketDetails
{
    public RemoteSocketDetails(string id, JObject handshake, IReadOnlyList<string> rooms, JToken? data)
    {
        Id = id;
        Handshake = handshake;
        Rooms = rooms;
        Data = data;
    }

    public string Id { get; }

    public JObject Handshake { get; }

    /// <summary>Every room the socket is in, its own id room first.</summary>
    public IReadOnlyList<string> Rooms { get; }

    /// <summary>The socket's data (Node's <c>socket.data</c>, <c>{}</c> when never set); null when the answer had none.</summary>
    public JToken? Data { get; }

    internal JObject ToJson()
    {
        var socket = new JObject { ["id"] = Id, ["handshake"] = Handshake, ["rooms"] = new JArray(Rooms) };
        if (Data is not null)
        {
            socket["data"] = Data;
        }

        return socket;
    }

    internal static RemoteSocketDetails FromJson(JToken token)
    {
        JObject socket = ClusterPayload.RequireObject(token, "socket");
        return new RemoteSocketDetails(
            ClusterPayload.RequireString(socket["id"], "socket id"),
            socket["handshake"] as JObject ?? [],
            ClusterPayload.RoomNames(socket["rooms"], "socket rooms"),
            socket["data"]);
    }

    internal static JArray ToJson(IReadOnlyList<RemoteSocketDetails> sockets) => [.. sockets.Select(s => s.ToJson())];

    internal static IReadOnlyList<RemoteSocketDetails> FromJson(JToken? token, string what) =>
        token is JArray sockets ? [.. sockets.Select(FromJson)] : throw new ProtocolException($"Cluster message has no {what} array");
}
