using Newtonsoft.Json.Linq;

namespace Signaling.Server.SocketIo;

/// <summary>
/// A socket as <see cref="BroadcastOperator.FetchSocketsAsync"/> finds it on any node of the
/// cluster: its id, handshake, rooms and data as they were when fetched (the reference's
/// <c>RemoteSocket</c>). <see cref="Local"/> is the socket itself when it is on this node.
/// </summary>
public sealed class RemoteSocket
{
    private readonly SocketIoNamespace _namespace;

    public RemoteSocket(SocketIoNamespace nsp, string id, JObject handshake, IReadOnlySet<string> rooms, JToken? data, SocketIoSocket? local = null)
    {
        _namespace = nsp;
        Id = id;
        Handshake = handshake;
        Rooms = rooms;
        Data = data;
        Local = local;
    }

    public string Id { get; }

    /// <summary>The handshake in the reference's shape: headers, time, address, xdomain, secure, issued, url, query, auth.</summary>
    public JObject Handshake { get; }

    public IReadOnlySet<string> Rooms { get; }

    public JToken? Data { get; }

    /// <summary>The socket, when it is on this node; null for a socket of another node.</summary>
    public SocketIoSocket? Local { get; }

    /// <summary>Describes a socket of this node, as a node answers a fetch.</summary>
    public static RemoteSocket Of(SocketIoSocket socket) =>
        new(socket.Namespace, socket.Id, socket.Handshake.ToJson(), socket.Rooms.ToHashSet(StringComparer.Ordinal), socket.Data, socket);

    public void Emit(string eventName, params object?[] args) => Only().Emit(eventName, args);

    public Task JoinAsync(params string[] rooms) => Only().SocketsJoinAsync(rooms);

    public Task LeaveAsync(params string[] rooms) => Only().SocketsLeaveAsync(rooms);

    public Task DisconnectAsync(bool close = false) => Only().DisconnectSocketsAsync(close);

    private BroadcastOperator Only() => _namespace.To(Id);
}
