using System.Text;
using Newtonsoft.Json.Linq;
using Signaling.Protocol.MsgPack;

namespace Signaling.Protocol.Cluster;

/// <summary>
/// Reads a <see cref="ClassicBroadcast"/> in the shape Node nodes, the emitter and ours publish it, field by
/// field, keeping the packet's data as MessagePack: what every cross-node relay costs on arrival. Anything
/// else (a uid that is not a string, rooms that are numbers, a truncated message...) gives null, and the
/// token tree path reads it or says what is wrong.
/// </summary>
internal static class ClassicBroadcastReader
{
    public static ClassicBroadcast? TryRead(ReadOnlyMemory<byte> message, int maxDepth)
    {
        var reader = new MsgPackReader(message.Span);
        if (maxDepth < 3 || !reader.TryReadArrayHeader(out int items) || items < 3 || !reader.TryReadString(out var uid))
        {
            return null;
        }

        string uidText = Encoding.UTF8.GetString(uid);
        if (TryReadPacket(message, ref reader, maxDepth - 2) is not { } packet || TryReadOptions(message.Span, ref reader, maxDepth - 1) is not { } options)
        {
            return null;
        }

        for (int i = 3; i < items; i++)
        {
            if (!reader.TrySkip(maxDepth - 1))
            {
                return null;
            }
        }

        return reader.AtEnd ? new ClassicBroadcast(uidText, packet, options) : null;
    }

    /// <summary><c>{type, data, nsp}</c> in any order; <paramref name="levels"/> is what the data may nest.</summary>
    private static ClusterPacket? TryReadPacket(ReadOnlyMemory<byte> message, ref MsgPackReader reader, int levels)
    {
        if (!reader.TryReadMapHeader(out int fields))
        {
            return null;
        }

        long? type = null;
        string nsp = "/";
        ReadOnlyMemory<byte>? data = null;
        for (int i = 0; i < fields; i++)
        {
            if (!reader.TryReadString(out var key))
            {
                return null;
            }

            if (key.SequenceEqual("type"u8))
            {
                if (!reader.TryReadInteger(out long value) || value is < int.MinValue or > int.MaxValue)
                {
                    return null;
                }

                type = value;
            }
            else if (key.SequenceEqual("data"u8))
            {
                int start = reader.Position;
                if (!reader.TryPeek(out byte prefix) || prefix is not ((>= 0x90 and <= 0x9f) or 0xdc or 0xdd) || !reader.TrySkip(levels))
                {
                    return null;
                }

                data = message[start..reader.Position];
            }
            else if (key.SequenceEqual("nsp"u8))
            {
                if (!reader.TryReadString(out var name))
                {
                    return null;
                }

                nsp = Encoding.UTF8.GetString(name);
            }
            else if (!reader.TrySkip(levels))
            {
                return null;
            }
        }

        return type is { } known && data is { } encoded ? new ClusterPacket(encoded, nsp, levels, (int)known) : null;
    }

    /// <summary><c>{rooms, except, flags, offset}</c>, any of them missing, rooms as strings.</summary>
    private static BroadcastOptions? TryReadOptions(ReadOnlySpan<byte> message, ref MsgPackReader reader, int levels)
    {
        if (!reader.TryReadMapHeader(out int fields))
        {
            return null;
        }

        IReadOnlyList<string> rooms = [];
        IReadOnlyList<string> except = [];
        JObject? flags = null;
        string? offset = null;
        for (int i = 0; i < fields; i++)
        {
            if (!reader.TryReadString(out var key))
            {
                return null;
            }

            bool read;
            if (key.SequenceEqual("rooms"u8))
            {
                read = TryReadRooms(ref reader, out rooms);
            }
            else if (key.SequenceEqual("except"u8))
            {
                read = TryReadRooms(ref reader, out except);
            }
            else if (key.SequenceEqual("flags"u8))
            {
                int start = reader.Position;
                read = reader.TrySkip(levels - 1);
                // An empty map, the usual flags, needs no object of its own.
                flags = read && reader.Position - start > 1 ? NotepackDecoder.Decode(message[start..reader.Position], levels - 1) as JObject : null;
            }
            else if (key.SequenceEqual("offset"u8))
            {
                read = reader.TryReadString(out var text);
                offset = read ? Encoding.UTF8.GetString(text) : null;
            }
            else
            {
                read = reader.TrySkip(levels - 1);
            }

            if (!read)
            {
                return null;
            }
        }

        return new BroadcastOptions(rooms, except, flags, offset);
    }

    private static bool TryReadRooms(ref MsgPackReader reader, out IReadOnlyList<string> rooms)
    {
        rooms = [];
        if (!reader.TryReadArrayHeader(out int count))
        {
            return false;
        }

        if (count == 0)
        {
            return true;
        }

        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            if (!reader.TryReadString(out var name))
            {
                return false;
            }

            names[i] = Encoding.UTF8.GetString(name);
        }

        rooms = names;
        return true;
    }
}
