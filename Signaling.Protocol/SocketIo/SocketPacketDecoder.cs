using System.Buffers;
using System.Runtime.InteropServices;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.SocketIo.Json;

namespace Signaling.Protocol.SocketIo;

/// <summary>
/// Decodes the Socket.IO packets of one connection. Stateful: after a BINARY_EVENT or BINARY_ACK
/// text it waits for the announced attachments and returns the packet when the last one arrives.
/// Bad input of any kind ends in a <see cref="ProtocolException"/>; after one, drop the connection.
/// </summary>
public sealed class SocketPacketDecoder
{
    private readonly SocketIoVersion _version;
    private readonly DecodeLimits _limits;

    private SocketPacket? _pending;
    private JObject[] _pendingPlaceholders = [];
    private int _received;

    /// <summary>A decoder for one connection of protocol <paramref name="version"/>, within <paramref name="limits"/> (the defaults when null).</summary>
    public SocketPacketDecoder(SocketIoVersion version, DecodeLimits? limits = null)
    {
        if (version is not (SocketIoVersion.V4 or SocketIoVersion.V5))
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "unsupported Socket.IO protocol version");
        }

        _version = version;
        _limits = limits ?? DecodeLimits.Default;
    }

    /// <summary>True between a binary packet's text and its last attachment.</summary>
    public bool AwaitingAttachments => _pending is not null;

    /// <summary>
    /// Decodes one packet's text. Returns null when it announces attachments, which then go to
    /// <see cref="AddAttachment"/>. Binary packets keep their wire type (BinaryEvent/BinaryAck).
    /// </summary>
    /// <exception cref="ProtocolException">The text is not a valid packet, or attachments were still due.</exception>
    public SocketPacket? Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_pending is not null)
        {
            throw new ProtocolException(
                $"Got a text packet while {_pendingPlaceholders.Length - _received} binary attachment(s) were still due");
        }

        var header = SocketPacketHeader.Parse(text, _version, _limits);
        // Scratch space for the placeholder scan, rented per packet: a decoder lives as long as its
        // connection, and most connections are idle most of the time.
        PlaceholderTracker.Frame[] frames = ArrayPool<PlaceholderTracker.Frame>.Shared.Rent(_limits.MaxJsonDepth);
        JToken? data;
        JObject[] placeholders;
        try
        {
            var builder = new JTokenBuilder(frames, header.Attachments);
            if (header.PayloadStart < text.Length)
            {
                StrictJson.ParseDocument(text, header.PayloadStart, _limits.MaxJsonDepth, ref builder);
            }

            data = builder.Root;
            ValidatePayload(header.Type, data);
            builder.CheckAllPlaceholdersFound();
            placeholders = builder.Placeholders;
        }
        finally
        {
            ArrayPool<PlaceholderTracker.Frame>.Shared.Return(frames);
        }

        var packet = new SocketPacket
        {
            Type = header.Type,
            Namespace = header.Namespace,
            NamespaceQuery = header.NamespaceQuery,
            AckId = header.AckId,
            Data = data,
        };

        if (placeholders.Length == 0)
        {
            return packet;
        }

        _pending = packet;
        _pendingPlaceholders = placeholders;
        _received = 0;
        return null;
    }

    /// <summary>
    /// Takes the next binary attachment and puts it in place of its placeholder. Returns the packet once
    /// the last one has arrived, null before. When <paramref name="data"/> spans a whole array, that
    /// array is used as is (the caller must not reuse it); otherwise the bytes are copied.
    /// </summary>
    /// <exception cref="ProtocolException">No attachment was due.</exception>
    public SocketPacket? AddAttachment(ReadOnlyMemory<byte> data)
    {
        if (_pending is null)
        {
            throw new ProtocolException("Got a binary attachment while none was due");
        }

        byte[] bytes = MemoryMarshal.TryGetArray(data, out ArraySegment<byte> segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();
        // Attachments arrive in num order, each replacing its placeholder where it sits in the tree.
        _pendingPlaceholders[_received++].Replace(new JValue(bytes));
        if (_received < _pendingPlaceholders.Length)
        {
            return null;
        }

        SocketPacket packet = _pending;
        _pending = null;
        _pendingPlaceholders = [];
        return packet;
    }

    private void ValidatePayload(SocketPacketType type, JToken? data)
    {
        switch (type)
        {
            case SocketPacketType.Connect:
                // v4 CONNECT has no payload at all; v5 may carry an auth object (or the server's {"sid"}).
                if (data is not null && (_version == SocketIoVersion.V4 || data.Type != JTokenType.Object))
                {
                    throw new ProtocolException(_version == SocketIoVersion.V4
                        ? "CONNECT packet of protocol v4 cannot carry a payload"
                        : "CONNECT payload must be a JSON object");
                }

                break;
            case SocketPacketType.Disconnect:
                if (data is not null)
                {
                    throw new ProtocolException("DISCONNECT packet cannot carry a payload");
                }

                break;
            case SocketPacketType.Event:
            case SocketPacketType.BinaryEvent:
                if (data is not JArray { Count: > 0 } args || args[0].Type != JTokenType.String)
                {
                    throw new ProtocolException($"{SocketPacketHeader.WireName(type)} payload must be a non-empty array starting with the event name");
                }

                break;
            case SocketPacketType.Ack:
            case SocketPacketType.BinaryAck:
                if (data is not JArray)
                {
                    throw new ProtocolException($"{SocketPacketHeader.WireName(type)} payload must be an array");
                }

                break;
            case SocketPacketType.ConnectError:
                // v4 sends the reason as a string (or the object a middleware gave); v5 always an object.
                bool valid = _version == SocketIoVersion.V4
                    ? data is null || data.Type is JTokenType.String or JTokenType.Object
                    : data is JObject obj && (obj["message"] is null || obj["message"]!.Type == JTokenType.String);
                if (!valid)
                {
                    throw new ProtocolException(_version == SocketIoVersion.V4
                        ? "CONNECT_ERROR payload of protocol v4 must be a string or an object"
                        : "CONNECT_ERROR payload must be an object whose message is a string");
                }

                break;
        }
    }
}
