namespace Signaling.Protocol.SocketIo;

/// <summary>
/// The part of an encoded Socket.IO packet before its JSON payload:
/// <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;]</c>.
/// Shared by the decoder and the relay's splice.
/// </summary>
internal readonly record struct SocketPacketHeader(
    SocketPacketType Type,
    int Attachments,
    string Namespace,
    string? NamespaceQuery,
    int? AckId,
    int AckIdStart,
    int PayloadStart)
{
    // int.MaxValue has 10 digits; more is refused before any arithmetic.
    private const int MaxDigits = 10;

    public bool IsBinary => Type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck;

    public static SocketPacketHeader Parse(string text, SocketIoVersion version, DecodeLimits limits)
    {
        if (text.Length == 0)
        {
            throw new ProtocolException("Empty Socket.IO packet");
        }

        char typeChar = text[0];
        if (typeChar is < '0' or > '6')
        {
            throw new ProtocolException($"Unknown Socket.IO packet type '{Printable(typeChar)}'");
        }

        var type = (SocketPacketType)(typeChar - '0');
        int pos = 1;
        int attachments = 0;
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            int digitsStart = pos;
            long count = ReadDigits(text, ref pos);
            if (pos == digitsStart)
            {
                throw new ProtocolException($"{WireName(type)} packet without an attachment count");
            }

            if (count > limits.MaxAttachments)
            {
                throw new ProtocolException(
                    $"{WireName(type)} packet announces {(count == long.MaxValue ? "too many" : count)} attachments, more than the limit of {limits.MaxAttachments}");
            }

            if (pos >= text.Length || text[pos] != '-')
            {
                throw new ProtocolException($"{WireName(type)} attachment count must be followed by '-'");
            }

            attachments = (int)count;
            pos++;
        }

        string ns = "/";
        string? query = null;
        if (pos < text.Length && text[pos] == '/')
        {
            int comma = text.IndexOf(',', pos);
            int end = comma < 0 ? text.Length : comma;
            ns = end - pos == 1 ? "/" : text[pos..end];
            pos = comma < 0 ? end : comma + 1;
            // Protocol v4 clients append their connection query to the namespace of CONNECT only.
            if (version == SocketIoVersion.V4 && type == SocketPacketType.Connect)
            {
                int question = ns.IndexOf('?');
                if (question >= 0)
                {
                    query = ns[(question + 1)..];
                    ns = question == 1 ? "/" : ns[..question];
                }
            }
        }
        else if (pos < text.Length && !char.IsAsciiDigit(text[pos]) && LooksLikeNamespace(text, pos))
        {
            throw new ProtocolException("Socket.IO namespace must start with '/'");
        }

        int ackIdStart = pos;
        int? ackId = null;
        if (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            long id = ReadDigits(text, ref pos);
            if (id > int.MaxValue)
            {
                throw new ProtocolException($"Ack id {text[ackIdStart..Math.Min(pos, ackIdStart + 20)]} is out of range");
            }

            if (type is not (SocketPacketType.Event or SocketPacketType.Ack or SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck))
            {
                throw new ProtocolException($"{WireName(type)} packet cannot carry an ack id");
            }

            ackId = (int)id;
        }
        else if (type is SocketPacketType.Ack or SocketPacketType.BinaryAck)
        {
            throw new ProtocolException($"{WireName(type)} packet without an ack id");
        }

        return new SocketPacketHeader(type, attachments, ns, query, ackId, ackIdStart, pos);
    }

    /// <summary>
    /// Reads decimal digits from <paramref name="pos"/>; returns <see cref="long.MaxValue"/> when there
    /// are more than <see cref="MaxDigits"/> of them, so a hostile run of digits is never accumulated.
    /// </summary>
    private static long ReadDigits(string text, ref int pos)
    {
        long value = 0;
        int start = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            if (pos - start == MaxDigits)
            {
                return long.MaxValue;
            }

            value = (value * 10) + (text[pos] - '0');
            pos++;
        }

        return value;
    }

    // Text before the payload that ends in a comma, such as "2admin,[...]", is a namespace missing its '/'.
    private static bool LooksLikeNamespace(string text, int pos)
    {
        int stop = text.AsSpan(pos).IndexOfAny(",[{\"");
        return stop >= 0 && text[pos + stop] == ',';
    }

    /// <summary>The packet type as the specification spells it, for error messages.</summary>
    public static string WireName(SocketPacketType type) => type switch
    {
        SocketPacketType.Connect => "CONNECT",
        SocketPacketType.Disconnect => "DISCONNECT",
        SocketPacketType.Event => "EVENT",
        SocketPacketType.Ack => "ACK",
        SocketPacketType.ConnectError => "CONNECT_ERROR",
        SocketPacketType.BinaryEvent => "BINARY_EVENT",
        SocketPacketType.BinaryAck => "BINARY_ACK",
        _ => ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Printable(char c) => c is >= ' ' and < '\u007f' ? c.ToString() : $"U+{(int)c:X4}";
}
