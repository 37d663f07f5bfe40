using System.Globalization;
using System.Numerics;
using Newtonsoft.Json.Linq;

namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// Builds the Newtonsoft token tree of a payload while <see cref="StrictJson"/> scans it, and notes
/// where the binary placeholders are so attachments can later be put in their place.
/// Numbers keep their value: integers as <see cref="long"/> or, beyond it, <see cref="BigInteger"/>;
/// the rest as <see cref="double"/>, which Newtonsoft writes back as the shortest text that round-trips.
/// </summary>
internal struct JTokenBuilder : IJsonSink
{
    private PlaceholderTracker _tracker;
    private JContainer? _current;
    private string? _pendingName;

    public JTokenBuilder(PlaceholderTracker.Frame[] frames, int attachments)
    {
        _tracker = new PlaceholderTracker(frames, attachments);
        Placeholders = attachments > 0 ? new JObject[attachments] : [];
    }

    /// <summary>The value read, once the scan is complete.</summary>
    public JToken? Root { get; private set; }

    /// <summary>The placeholder objects, indexed by their num.</summary>
    public JObject[] Placeholders { get; }

    /// <inheritdoc cref="PlaceholderTracker.CheckAllFound"/>
    public readonly void CheckAllPlaceholdersFound() => _tracker.CheckAllFound();

    public void StartArray()
    {
        _tracker.StartContainer(isObject: false);
        Open(new JArray());
    }

    public void EndArray()
    {
        _tracker.EndContainer();
        Close();
    }

    public void StartObject()
    {
        _tracker.StartContainer(isObject: true);
        Open(new JObject());
    }

    public void EndObject()
    {
        int num = _tracker.EndContainer();
        if (num >= 0)
        {
            Placeholders[num] = (JObject)_current!;
        }

        Close();
    }

    public void PropertyName(ReadOnlySpan<char> raw, bool escaped)
    {
        _tracker.PropertyName(raw, escaped);
        string name = StrictJson.DecodeString(raw, escaped);
        // JavaScript keeps the last of duplicate names; refusing them keeps the tree and the
        // placeholder bookkeeping in step, and no JSON.stringify output ever has them.
        if (((JObject)_current!).ContainsKey(name))
        {
            throw new ProtocolException($"Invalid JSON payload: duplicate property name \"{name}\"");
        }

        _pendingName = name;
    }

    public void String(ReadOnlySpan<char> raw, bool escaped)
    {
        _tracker.OnValue();
        Add(new JValue(StrictJson.DecodeString(raw, escaped)));
    }

    public void Number(ReadOnlySpan<char> text, bool integer)
    {
        _tracker.OnNumber(text, integer);
        Add(ToJValue(text, integer));
    }

    public void Literal(JsonLiteral literal)
    {
        _tracker.OnLiteral(literal);
        Add(literal switch
        {
            JsonLiteral.True => new JValue(true),
            JsonLiteral.False => new JValue(false),
            _ => JValue.CreateNull(),
        });
    }

    private static JValue ToJValue(ReadOnlySpan<char> text, bool integer)
    {
        if (integer)
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long small)
                ? new JValue(small)
                : new JValue((object)BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        double value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(value)
            ? new JValue(value)
            : throw new ProtocolException($"Invalid JSON payload: number {text} is out of range");
    }

    private void Open(JContainer container)
    {
        Add(container);
        _current = container;
    }

    private void Close()
    {
        JContainer? parent = _current!.Parent;
        _current = parent is JProperty property ? property.Parent : parent;
    }

    private void Add(JToken token)
    {
        switch (_current)
        {
            case null:
                Root = token;
                break;
            case JObject obj:
                obj.Add(_pendingName!, token);
                break;
            default:
                ((JArray)_current).Add(token);
                break;
        }
    }
}
