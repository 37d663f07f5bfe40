namespace Signaling.Server.Configuration;

/// <summary>The known name nearest to a mistyped one, by edit distance (case-insensitive).</summary>
internal static class Closest
{
    /// <summary>The candidate fewest single-character edits away; the first of them on a tie.</summary>
    public static string Of(string typed, IEnumerable<string> candidates) =>
        candidates.MinBy(candidate => Distance(typed.ToUpperInvariant(), candidate.ToUpperInvariant()))
        ?? throw new ArgumentException("No candidates.", nameof(candidates));

    /// <summary>Whether <paramref name="candidate"/> is near enough to be what was meant rather than merely the least far.</summary>
    private static bool IsLikely(string typed, string candidate) =>
        Distance(typed.ToUpperInvariant(), candidate.ToUpperInvariant()) <= Math.Max(2, typed.Length / 3);

    /// <summary>"did you mean X?" when the closest is likely what was meant, else "the closest known option is X (…)".</summary>
    public static string Hint(string what, string typed, IEnumerable<string> known, Func<string, string> show)
    {
        var closest = Of(typed, known);
        return IsLikely(typed, closest) ? $"did you mean {show(closest)}?" : $"the closest known {what} is {show(closest)} (--help lists them all)";
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
