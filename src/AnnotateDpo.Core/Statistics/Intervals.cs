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
        return values.Count == 0 ? null : Percentile95(values);
    }

    /// <summary>
    /// The same bootstrap for statistics that read only how many items of each type a sample holds: each resample is
    /// one multinomial draw (<see cref="Resampling.Multinomial"/>) of the item count over the types, which has the
    /// distribution of the type counts of n items drawn with replacement, at a cost that grows with the number of
    /// types rather than of items. Every statistic gets the same draws; seeded, so the figures repeat.
    /// </summary>
    /// <param name="typeCounts">How many items are of each type.</param>
    /// <param name="statistics">Each reads a sample's count per type (same order as <paramref name="typeCounts"/>).</param>
    public static Interval?[] BootstrapTypes(IReadOnlyList<int> typeCounts, IReadOnlyList<Func<long[], double?>> statistics,
        int resamples = 1000, int seed = 12345)
    {
        var result = new Interval?[statistics.Count];
        if (typeCounts.Sum() == 0) return result;
        var random = new Random(seed);
        var values = statistics.Select(_ => new List<double>(resamples)).ToArray();
        var drawn = new long[typeCounts.Count];
        for (var r = 0; r < resamples; r++)
        {
            Resampling.Multinomial(random, typeCounts, drawn);
            for (var s = 0; s < statistics.Count; s++)
                if (statistics[s](drawn) is { } value && !double.IsNaN(value)) values[s].Add(value);
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
