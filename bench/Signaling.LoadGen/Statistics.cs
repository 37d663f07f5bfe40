namespace Signaling.LoadGen;

/// <summary>Percentiles of a sample, nearest-rank.</summary>
public static class Statistics
{
    /// <param name="sorted">Ascending, not empty.</param>
    /// <param name="fraction">0.5 for the median, 0.99 for p99, 1 for the maximum.</param>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
