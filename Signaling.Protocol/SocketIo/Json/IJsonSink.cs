namespace Signaling.Protocol.SocketIo.Json;

/// <summary>
/// Receives what <see cref="StrictJson"/> reads, in document order. Implemented by structs so that
/// the generic scanner is specialised per sink: a tree builder for the decoder, a validator for the
/// relay's splice, each without virtual calls.
/// </summary>
internal interface IJsonSink
{
    void StartArray();

    void EndArray();

    void StartObject();

    void EndObject();

    /// <param name="raw">The name between its quotes, escapes not yet resolved.</param>
    /// <param name="escaped">Whether <paramref name="raw"/> contains a backslash escape.</param>
    void PropertyName(ReadOnlySpan<char> raw, bool escaped);

    /// <param name="raw">The string between its quotes, escapes not yet resolved.</param>
    /// <param name="escaped">Whether <paramref name="raw"/> contains a backslash escape.</param>
    void String(ReadOnlySpan<char> raw, bool escaped);

    /// <param name="text">The number exactly as written, already checked against the JSON grammar.</param>
    /// <param name="integer">True when it has neither fraction nor exponent.</param>
    void Number(ReadOnlySpan<char> text, bool integer);

    void Literal(JsonLiteral literal);
}
