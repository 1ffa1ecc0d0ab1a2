namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// Exact draws from the binomial and multinomial distributions, for bootstraps over item types: resampling n items
/// with replacement, when a statistic reads only how many items of each type were drawn, is one multinomial draw of n
/// over the types with probabilities count / n. That takes a few dozen steps per type instead of n uniform draws.
/// </summary>
public static class Resampling
{
    /// <summary>
    /// How many of <paramref name="itemCount"/> draws with replacement fall on each type, when
    /// <paramref name="typeCounts"/>[i] of the items are of type i (sum = item count); written into <paramref name="drawn"/>.
    /// </summary>
    /// <remarks>
    /// Sequential binomials: type i takes Binomial(draws left, count_i / items of types i and later), which is the
    /// multinomial's conditional distribution of count i given the earlier ones, so the joint draw is exact.
    /// </remarks>
    public static void Multinomial(Random random, IReadOnlyList<int> typeCounts, long[] drawn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(drawn.Length, typeCounts.Count, nameof(drawn));
        long itemsLeft = 0;
        foreach (var count in typeCounts) itemsLeft += count;
        var drawsLeft = itemsLeft;
        for (var type = 0; type < typeCounts.Count; type++)
        {
            var count = typeCounts[type];
            var k = count == itemsLeft ? drawsLeft : Binomial(random, drawsLeft, (double)count / itemsLeft);
            drawn[type] = k;
            drawsLeft -= k;
            itemsLeft -= count;
        }
    }

    /// <summary>A draw from Binomial(<paramref name="trials"/>, <paramref name="p"/>), exact up to floating-point rounding.</summary>
    /// <remarks>
    /// Inversion: the unit interval is cut into pieces of length P(k) and the piece holding a uniform draw is found.
    /// With a small mean the search starts at 0; otherwise it starts at the mode and alternates outwards, so it takes
    /// about √(npq) steps, and P(mode) comes from log-factorials. The order the pieces are visited in does not change
    /// the distribution.
    /// </remarks>
    public static long Binomial(Random random, long trials, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability lies in [0, 1].");
        if (trials == 0 || p == 0) return 0;
        if (p == 1) return trials;
        if (p > 0.5) return trials - Binomial(random, trials, 1 - p);

        var q = 1 - p;
        var odds = p / q;
        var u = random.NextDouble();
        if (trials * p < 30)
        {
            // q^n ≥ e^(−2np) > e^(−60) here (p ≤ 1/2), far from underflow.
            var probability = Math.Pow(q, trials);
            for (long k = 0; k < trials; k++)
            {
                if (u < probability) return k;
                u -= probability;
                probability *= odds * (trials - k) / (k + 1);
            }
            return trials;
        }

        var mode = Math.Min(trials, (long)((trials + 1) * p));
        var atMode = Math.Exp(LogFactorial(trials) - LogFactorial(mode) - LogFactorial(trials - mode)
                              + mode * Math.Log(p) + (trials - mode) * Math.Log(q));
        if (u < atMode) return mode;
        u -= atMode;
        long below = mode, above = mode;
        double belowProbability = atMode, aboveProbability = atMode;
        while (below > 0 || above < trials)
        {
            if (above < trials)
            {
                aboveProbability *= odds * (trials - above) / (above + 1);
                above++;
                if (u < aboveProbability) return above;
                u -= aboveProbability;
            }
            if (below > 0)
            {
                belowProbability *= below / (odds * (trials - below + 1));
                below--;
                if (u < belowProbability) return below;
                u -= belowProbability;
            }
        }
        // Only rounding (the P(k) summing to 1 − 1e-12, say) leaves u uncovered; the mode is the likeliest answer.
        return mode;
    }

    /// <summary>ln k!: summed below the table's end, Stirling's series (error below 1e-16 relative there) above.</summary>
    internal static double LogFactorial(long k)
    {
        if (k < SmallLogFactorials.Length) return SmallLogFactorials[k];
        var x = (double)k;
        var inverse = 1 / x;
        var inverseSquare = inverse * inverse;
        return x * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI * x)
               + inverse * (1.0 / 12 - inverseSquare * (1.0 / 360 - inverseSquare * (1.0 / 1260 - inverseSquare / 1680)));
    }

    private static readonly double[] SmallLogFactorials = BuildLogFactorials(256);

    private static double[] BuildLogFactorials(int count)
    {
        var table = new double[count];
        for (var k = 2; k < count; k++) table[k] = table[k - 1] + Math.Log(k);
        return table;
    }
}
