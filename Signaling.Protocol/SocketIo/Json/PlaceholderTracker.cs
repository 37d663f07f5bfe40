using System.Globalization;

namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// Follows a JSON scan and recognises binary placeholders (<c>{"_placeholder":true,"num":N}</c>),
/// checking them against the attachment count the packet announced: each num in range, none twice,
/// none at all in a packet without attachments. Shared by the decoder and the relay's splice so both
/// accept exactly the same packets.
/// </summary>
internal struct PlaceholderTracker
{
    private readonly Frame[] _frames;
    private readonly int _attachments;
    private bool[]? _seen;
    private int _depth;

    /// <param name="frames">Scratch space, at least as long as the scan's depth limit; reusable.</param>
    /// <param name="attachments">The attachment count from the packet header.</param>
    public PlaceholderTracker(Frame[] frames, int attachments)
    {
        _frames = frames;
        _attachments = attachments;
    }

    internal enum Key : byte
    {
        Other,
        Placeholder,
        Num,
    }

    /// <summary>How many placeholders were found so far.</summary>
    public int Found { get; private set; }

    /// <summary>Checks that the placeholders found are exactly those the header announced.</summary>
    public readonly void CheckAllFound()
    {
        if (Found != _attachments)
        {
            throw new ProtocolException(
                $"Packet announces {_attachments} binary attachment(s) but its payload has {Found} placeholder(s)");
        }
    }

    public void StartContainer(bool isObject)
    {
        OnValue();
        _frames[_depth++] = new Frame { IsObject = isObject, Num = -1 };
    }

    /// <summary>Closes the innermost container; returns its placeholder num, or -1 when it is not a placeholder.</summary>
    public int EndContainer()
    {
        Frame frame = _frames[--_depth];
        if (!frame.IsObject || !frame.PlaceholderTrue)
        {
            return -1;
        }

        if (frame.Keys != 2 || frame.Num < 0)
        {
            throw new ProtocolException(
                "Malformed binary placeholder: it must be exactly {\"_placeholder\":true,\"num\":<non-negative integer>}");
        }

        if (_attachments == 0)
        {
            throw new ProtocolException("Binary placeholder in a packet that announces no attachments");
        }

        int num = frame.Num;
        if (num >= _attachments)
        {
            throw new ProtocolException($"Binary placeholder num {num} is out of range for {_attachments} attachment(s)");
        }

        _seen ??= new bool[_attachments];
        if (_seen[num])
        {
            throw new ProtocolException($"Binary placeholder num {num} appears twice");
        }

        _seen[num] = true;
        Found++;
        return num;
    }

    public readonly void PropertyName(ReadOnlySpan<char> raw, bool escaped)
    {
        ref Frame frame = ref _frames[_depth - 1];
        frame.Keys++;
        // An escaped name can still spell "_placeholder" once resolved, as JavaScript sees it.
        ReadOnlySpan<char> name = escaped ? StrictJson.DecodeString(raw, escaped) : raw;
        frame.Pending = name switch
        {
            "_placeholder" => Key.Placeholder,
            "num" => Key.Num,
            _ => Key.Other,
        };
    }

    public readonly void OnLiteral(JsonLiteral literal)
    {
        if (TryTakePending(out Key key) && key == Key.Placeholder)
        {
            _frames[_depth - 1].PlaceholderTrue = literal == JsonLiteral.True;
        }
        else if (key == Key.Num)
        {
            _frames[_depth - 1].Num = -1;
        }
    }

    public readonly void OnNumber(ReadOnlySpan<char> text, bool integer)
    {
        if (TryTakePending(out Key key) && key == Key.Num)
        {
            _frames[_depth - 1].Num = integer && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int num) ? num : -1;
        }
        else if (key == Key.Placeholder)
        {
            _frames[_depth - 1].PlaceholderTrue = false;
        }
    }

    /// <summary>A string or a container arrived as a value.</summary>
    public readonly void OnValue()
    {
        if (TryTakePending(out Key key))
        {
            if (key == Key.Placeholder)
            {
                _frames[_depth - 1].PlaceholderTrue = false;
            }
            else if (key == Key.Num)
            {
                _frames[_depth - 1].Num = -1;
            }
        }
    }

    // The value that just arrived belongs to the innermost object's last name, if it is in an object.
    private readonly bool TryTakePending(out Key key)
    {
        key = Key.Other;
        if (_depth == 0 || !_frames[_depth - 1].IsObject)
        {
            return false;
        }

        key = _frames[_depth - 1].Pending;
        return true;
    }

    /// <summary>One open array or object of the scan.</summary>
    internal struct Frame
    {
        public bool IsObject;
        public bool PlaceholderTrue;
        public int Keys;
        public int Num;
        internal Key Pending;
    }
}
