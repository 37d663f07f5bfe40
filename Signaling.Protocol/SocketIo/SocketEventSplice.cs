using System.Buffers;
using Signaling.Protocol.SocketIo.Json;

namespace Signaling.Protocol.SocketIo;

/// <summary>
/// The relay's fast path for <c>(event, toId, ...payload)</c> messages: reads an encoded EVENT or
/// BINARY_EVENT without building a token tree, exposes the event name and the target (the first
/// argument after the name), and writes the text to forward with the target replaced by the sender's
/// id and the ack id removed; everything else, binary placeholders included, is kept character for
/// character. EVENT packets are written alike in protocol v4 and v5, so one splice serves both.
/// </summary>
/// <remarks>
/// The whole payload is still validated (JSON grammar, depth limit, placeholders against the
/// attachment count), so nothing malformed is relayed. Unlike <see cref="SocketPacketDecoder"/>, it
/// passes on what <c>JSON.parse</c> accepts but a token tree cannot hold: duplicate property names
/// and numbers beyond the range of a double.
/// </remarks>
public sealed class SocketEventSplice
{
    private readonly string _text;
    private readonly int _ackIdStart;
    private readonly int _payloadStart;
    private readonly int _targetStart;
    private readonly int _targetEnd;
    private readonly int _closingBracket;

    private SocketEventSplice(string text, SocketPacketHeader header, string eventName, int targetStart, int targetEnd, int closingBracket, string? target)
    {
        _text = text;
        _ackIdStart = header.AckIdStart;
        _payloadStart = header.PayloadStart;
        _targetStart = targetStart;
        _targetEnd = targetEnd;
        _closingBracket = closingBracket;
        Type = header.Type;
        Namespace = header.Namespace;
        AckId = header.AckId;
        Attachments = header.Attachments;
        EventName = eventName;
        Target = target;
    }

    /// <summary><see cref="SocketPacketType.Event"/> or <see cref="SocketPacketType.BinaryEvent"/>.</summary>
    public SocketPacketType Type { get; }

    /// <summary>The namespace the event was sent on.</summary>
    public string Namespace { get; }

    /// <summary>The sender's ack id, when it asked for an acknowledgement.</summary>
    public int? AckId { get; }

    /// <summary>How many binary attachments follow the text (0 for EVENT).</summary>
    public int Attachments { get; }

    /// <summary>The event's name.</summary>
    public string EventName { get; }

    /// <summary>Whether the payload has an argument after the event name.</summary>
    public bool HasTarget => _targetStart >= 0;

    /// <summary>The first argument after the event name when it is a string; null when absent or of another type.</summary>
    public string? Target { get; }

    /// <summary>The first argument after the event name exactly as sent (JSON text); null when absent.</summary>
    public string? TargetJson => HasTarget ? _text[_targetStart.._targetEnd] : null;

    /// <summary>Reads an encoded EVENT or BINARY_EVENT (without its Engine.IO message prefix).</summary>
    /// <exception cref="ProtocolException">It is not a valid EVENT or BINARY_EVENT packet.</exception>
    public static SocketEventSplice Parse(string text, DecodeLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= DecodeLimits.Default;
        // The version only changes how CONNECT is read, and anything but an event is refused below.
        var header = SocketPacketHeader.Parse(text, SocketIoVersion.V5, limits);
        if (!(header.Type is SocketPacketType.Event or SocketPacketType.BinaryEvent))
        {
            throw new ProtocolException($"Expected an EVENT or BINARY_EVENT packet, got {SocketPacketHeader.WireName(header.Type)}");
        }

        PlaceholderTracker.Frame[] frames = ArrayPool<PlaceholderTracker.Frame>.Shared.Rent(limits.MaxJsonDepth);
        try
        {
            return ParsePayload(text, header, limits.MaxJsonDepth, new ValidatingSink(frames, header.Attachments));
        }
        finally
        {
            ArrayPool<PlaceholderTracker.Frame>.Shared.Return(frames);
        }
    }

    /// <summary>
    /// The text to forward: the same packet without its ack id and with the target replaced by
    /// <paramref name="senderId"/> as a JSON string. Attachments, if any, are forwarded unchanged.
    /// </summary>
    /// <exception cref="InvalidOperationException">The packet has no string target (see <see cref="Target"/>).</exception>
    public string WithSender(string senderId) => Splice(senderId, offset: null);

    /// <summary>
    /// As <see cref="WithSender(string)"/>, with <paramref name="offset"/> appended as a last string
    /// argument (<see cref="RecoveryOffset"/>): written in the same pass, so the offset costs no re-encode.
    /// </summary>
    public string WithSender(string senderId, long offset) => Splice(senderId, offset);

    private string Splice(string senderId, long? offset)
    {
        ArgumentNullException.ThrowIfNull(senderId);
        if (Target is null)
        {
            throw new InvalidOperationException("Only a packet whose target is a string can be relayed");
        }

        string? escaped = JsString.NeedsEscaping(senderId) ? JsString.Quote(senderId) : null;
        int senderLength = escaped?.Length ?? senderId.Length + 2;
        int offsetLength = offset is { } o ? RecoveryOffset.ArgumentLength(o) : 0;
        int length = _ackIdStart + (_targetStart - _payloadStart) + senderLength + (_text.Length - _targetEnd) + offsetLength;
        return string.Create(length, (this, senderId, escaped, offset), static (span, state) =>
        {
            (SocketEventSplice splice, string sender, string? quoted, long? offset) = state;
            string text = splice._text;
            text.AsSpan(0, splice._ackIdStart).CopyTo(span);
            span = span[splice._ackIdStart..];
            ReadOnlySpan<char> beforeTarget = text.AsSpan(splice._payloadStart, splice._targetStart - splice._payloadStart);
            beforeTarget.CopyTo(span);
            span = span[beforeTarget.Length..];
            if (quoted is not null)
            {
                quoted.AsSpan().CopyTo(span);
                span = span[quoted.Length..];
            }
            else
            {
                span[0] = '"';
                sender.AsSpan().CopyTo(span[1..]);
                span[sender.Length + 1] = '"';
                span = span[(sender.Length + 2)..];
            }

            if (offset is not { } value)
            {
                text.AsSpan(splice._targetEnd).CopyTo(span);
                return;
            }

            ReadOnlySpan<char> rest = text.AsSpan(splice._targetEnd, splice._closingBracket - splice._targetEnd);
            rest.CopyTo(span);
            span = span[rest.Length..];
            span = span[RecoveryOffset.WriteArgument(span, value)..];
            text.AsSpan(splice._closingBracket).CopyTo(span);
        });
    }

    private static SocketEventSplice ParsePayload(string text, SocketPacketHeader header, int maxDepth, ValidatingSink sink)
    {
        // The arguments array is walked here, one level, so the target's position is known;
        // every argument below it goes through the scanner with one level less to spend.
        int pos = StrictJson.SkipWhitespace(text, header.PayloadStart);
        if (pos >= text.Length || text[pos] != '[')
        {
            throw NotAnEventPayload(header.Type);
        }

        pos = StrictJson.SkipWhitespace(text, pos + 1);
        if (pos >= text.Length || text[pos] != '"')
        {
            throw NotAnEventPayload(header.Type);
        }

        int nameStart = pos;
        pos = StrictJson.ScanString(text, pos, out bool nameEscaped);
        string eventName = StrictJson.DecodeString(text.AsSpan(nameStart + 1, pos - nameStart - 2), nameEscaped);

        int targetStart = -1;
        int targetEnd = -1;
        string? target = null;
        while (true)
        {
            pos = StrictJson.SkipWhitespace(text, pos);
            if (pos < text.Length && text[pos] == ']')
            {
                break;
            }

            if (pos >= text.Length || text[pos] != ',')
            {
                throw new ProtocolException($"Invalid JSON payload: expected ',' or ']' at offset {pos}");
            }

            pos = StrictJson.SkipWhitespace(text, pos + 1);
            int argumentStart = pos;
            pos = StrictJson.ParseValue(text, pos, maxDepth - 1, ref sink);
            if (targetStart < 0)
            {
                targetStart = argumentStart;
                targetEnd = pos;
                if (text[argumentStart] == '"')
                {
                    bool escaped = text.AsSpan(argumentStart + 1, pos - argumentStart - 2).Contains('\\');
                    target = StrictJson.DecodeString(text.AsSpan(argumentStart + 1, pos - argumentStart - 2), escaped);
                }
            }
        }

        int closingBracket = pos;
        if (StrictJson.SkipWhitespace(text, pos + 1) != text.Length)
        {
            throw new ProtocolException($"Invalid JSON payload: unexpected text after the JSON value at offset {pos + 1}");
        }

        sink.CheckAllPlaceholdersFound();
        return new SocketEventSplice(text, header, eventName, targetStart, targetEnd, closingBracket, target);
    }

    private static ProtocolException NotAnEventPayload(SocketPacketType type) =>
        new($"{SocketPacketHeader.WireName(type)} payload must be a non-empty array starting with the event name");
}
