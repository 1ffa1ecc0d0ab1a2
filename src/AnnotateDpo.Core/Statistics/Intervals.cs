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
        if (items.Count == 0) return null;
        var random = new Random(seed);
        var values = new List<double>(resamples);
        var sample = new TItem[items.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < sample.Length; i++) sample[i] = items[random.Next(items.Count)];
            if (statistic(sample) is { } value && !double.IsNaN(value)) values.Add(value);
        }
        if (values.Count == 0) return null;
        values.Sort();
        return new Interval(Percentile(values, 0.025), Percentile(values, 0.975));
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
