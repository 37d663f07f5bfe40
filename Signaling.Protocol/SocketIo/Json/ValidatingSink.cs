namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// Checks a payload without building anything: the scanner validates the grammar and depth, and this
/// sink only follows the binary placeholders.
/// </summary>
internal struct ValidatingSink : IJsonSink
{
    private PlaceholderTracker _tracker;

    public ValidatingSink(PlaceholderTracker.Frame[] frames, int attachments)
    {
        _tracker = new PlaceholderTracker(frames, attachments);
    }

    /// <inheritdoc cref="PlaceholderTracker.CheckAllFound"/>
    public readonly void CheckAllPlaceholdersFound() => _tracker.CheckAllFound();

    public void StartArray() => _tracker.StartContainer(isObject: false);

    public void EndArray() => _tracker.EndContainer();

    public void StartObject() => _tracker.StartContainer(isObject: true);

    public void EndObject() => _tracker.EndContainer();

    public readonly void PropertyName(ReadOnlySpan<char> raw, bool escaped) => _tracker.PropertyName(raw, escaped);

    public readonly void String(ReadOnlySpan<char> raw, bool escaped) => _tracker.OnValue();

    public readonly void Number(ReadOnlySpan<char> text, bool integer) => _tracker.OnNumber(text, integer);

    public readonly void Literal(JsonLiteral literal) => _tracker.OnLiteral(literal);
}
