namespace AnnotateDpo.Core.Statistics;

public sealed record Interval(double Low, double High)
{
    public bool Contains(double value) => value >= Low && value <= High;
}

public static class Intervals
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Wilson's score interval for a binomial proportion (Wilson 1927): unlike the normal approximation it stays
    /// inside [0, 1] and behaves at small counts, which is where annotation data lives.
    /// </summary>
    public static Interval Wilson(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0) return new Interval(0, 1);
        var p = (double)successes / trials;
        var z2 = z * z;
        var centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
        var half = z / (1 + z2 / trials) * Math.Sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials));
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// Percentile bootstrap 95% interval of a statistic over items: resamples whole items with replacement (so an
    /// item's ratings stay together), seeded for repeatable figures. Resamples where the statistic is undefined are
    /// dropped; null when all are.
    /// </summary>
    public static Interval? Bootstrap<TItem>(IReadOnlyList<TItem> items, Func<IReadOnlyList<TItem>, double?> statistic,
        int resamples = 1000, int seed = 12345)
    {
        var sample = new TItem[items.Count];
        return Bootstrap(items.Count, [indices =>
        {
            for (var i = 0; i < indices.Length; i++) sample[i] = items[indices[i]];
            return statistic(sample);
        }], resamples, seed)[0];
    }

    /// <summary>
    /// The same bootstrap over item indices, for several statistics at once: each resample draws the indices once
    /// (the draws of <see cref="Bootstrap{TItem}"/> with the same seed) and hands them to every statistic, which reads
    /// its own precomputed per-item arrays. No item is copied, so it scales to 100 000 items.
    /// </summary>
    public static Interval?[] Bootstrap(int itemCount, IReadOnlyList<Func<int[], double?>> statistics, int resamples = 1000, int seed = 12345)
    {
        var result = new Interval?[statistics.Count];
        if (itemCount == 0) return result;
        var random = new Random(seed);
        var values = statistics.Select(_ => new List<double>(resamples)).ToArray();
        var indices = new int[itemCount];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < indices.Length; i++) indices[i] = random.Next(itemCount);
            for (var s = 0; s < statistics.Count; s++)
                if (statistics[s](indices) is { } value && !double.IsNaN(value)) values[s].Add(value);
        }
        for (var s = 0; s < statistics.Count; s++)
            if (values[s].Count > 0) result[s] = Percentile95(values[s]);
        return result;
    }

    /// <summary>The central 95% of bootstrap replicates (sorted in place); the percentile interval of <see cref="Bootstrap"/>.</summary>
    internal static Interval Percentile95(List<double> replicates)
    {
        replicates.Sort();
        return new Interval(Percentile(replicates, 0.025), Percentile(replicates, 0.975));
    }

    /// <summary>Linear interpolation between closest ranks (the R-7 / numpy default definition).</summary>
    private static double Percentile(List<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
