namespace Signaling.Protocol;

/// <summary>
/// Bounds a decoder applies to what a peer sends, so that a hostile packet costs at most
/// a known amount of stack, memory and time instead of whatever its author asks for.
/// </summary>
public sealed class DecodeLimits
{
    /// <summary>The limits used when a caller gives none.</summary>
    public static DecodeLimits Default { get; } = new();

    /// <summary>
    /// Deepest nesting of arrays and objects allowed in any JSON payload (<c>[]</c> is depth 1).
    /// Official clients never send deep structures; the reference Node.js server dies on deep ones.
    /// </summary>
    public int MaxJsonDepth
    {
        get => _maxJsonDepth;
        init => _maxJsonDepth = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxJsonDepth), value, "must be at least 1");
    }

    /// <summary>Most binary attachments one packet may announce.</summary>
    public int MaxAttachments
    {
        get => _maxAttachments;
        init => _maxAttachments = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttachments), value, "must not be negative");
    }

    private readonly int _maxJsonDepth = 32;
    private readonly int _maxAttachments = 64;
}
