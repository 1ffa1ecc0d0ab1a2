namespace AnnotateDpo.Core.Statistics;

/// <summary>How one blind comparison of two models' answers came out.</summary>
public enum ComparisonOutcome
{
    FirstWins,
    SecondWins,
    Tie,
}

/// <summary>One judged comparison between models <paramref name="First"/> and <paramref name="Second"/>.</summary>
public sealed record Comparison(string First, string Second, ComparisonOutcome Outcome);

/// <summary>
/// A model's place in a Bradley–Terry ranking: its strength (the strengths sum to 1, so strength_i / (strength_i +
/// strength_j) is the chance i beats j), a bootstrap 95% interval of it, its wins and comparisons, and its rank (1 best).
/// </summary>
public sealed record BradleyTerryRating(string Model, double Strength, Interval? Interval, double Wins, int Comparisons, int Rank);

/// <summary>
/// The Bradley–Terry model P(i beats j) = π_i / (π_i + π_j), fitted by Hunter's (2004) MM algorithm:
/// π_i ← W_i / Σ_j n_ij / (π_i + π_j), which raises the likelihood at every step. A tie counts as half a win for each.
/// A model that never wins would have strength 0 and one that never loses infinite strength, so a small prior adds
/// <c>prior</c> virtual wins each way to every pair of models that met (0 gives the plain maximum-likelihood fit).
/// </summary>
public static class BradleyTerry
{
    public const double DefaultPrior = 0.1;

    private const int MaxIterations = 10_000;
    private const double Converged = 1e-12;

    /// <summary>The strengths of <paramref name="models"/> (summing to 1), in their order.</summary>
    public static double[] Fit(IReadOnlyList<string> models, IReadOnlyList<Comparison> comparisons, double prior = DefaultPrior)
    {
        var (index, pairs) = Prepare(models, comparisons, prior);
        return Fit(models.Count, comparisons.Select(c => Encode(c, index)).ToArray(), pairs, prior);
    }

    /// <summary>
    /// The ranking with percentile-bootstrap 95% intervals: comparisons are resampled with replacement
    /// (<paramref name="resamples"/> times, seeded for repeatable figures) and the model refitted each time.
    /// </summary>
    public static IReadOnlyList<BradleyTerryRating> Rank(IReadOnlyList<string> models, IReadOnlyList<Comparison> comparisons,
        int resamples = 1000, int seed = 12345, double prior = DefaultPrior)
    {
        var (index, pairs) = Prepare(models, comparisons, prior);
        var encoded = comparisons.Select(c => Encode(c, index)).ToArray();
        var strengths = Fit(models.Count, encoded, pairs, prior);

        var replicates = models.Select(_ => new List<double>(resamples)).ToArray();
        if (encoded.Length > 0)
        {
            var random = new Random(seed);
            var sample = new (int, int, double)[encoded.Length];
            for (var r = 0; r < resamples; r++)
            {
                for (var i = 0; i < sample.Length; i++) sample[i] = encoded[random.Next(encoded.Length)];
                // The prior pairs stay those of the full data, so a resample that misses a pair keeps the models linked.
                var fitted = Fit(models.Count, sample, pairs, prior);
                for (var m = 0; m < models.Count; m++) replicates[m].Add(fitted[m]);
            }
        }

        var wins = new double[models.Count];
        var counts = new int[models.Count];
        foreach (var (first, second, score) in encoded)
        {
            wins[first] += score;
            wins[second] += 1 - score;
            counts[first]++;
            counts[second]++;
        }
        var order = Enumerable.Range(0, models.Count).OrderByDescending(m => strengths[m]).ToList();
        return Enumerable.Range(0, models.Count)
            .Select(m => new BradleyTerryRating(models[m], strengths[m],
                replicates[m].Count > 0 ? Intervals.Percentile95(replicates[m]) : null, wins[m], counts[m], order.IndexOf(m) + 1))
            .OrderBy(r => r.Rank)
            .ToList();
    }

    private static (Dictionary<string, int> Index, (int, int)[] Pairs) Prepare(IReadOnlyList<string> models, IReadOnlyList<Comparison> comparisons, double prior)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(comparisons);
        if (!(prior >= 0))
            throw new ArgumentOutOfRangeException(nameof(prior), prior, "The prior must not be negative.");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            if (!index.TryAdd(model, index.Count))
                throw new ArgumentException($"Model '{model}' is listed twice.", nameof(models));
        }
        for (var i = 0; i < comparisons.Count; i++)
        {
            var c = comparisons[i];
            if (!index.ContainsKey(c.First) || !index.ContainsKey(c.Second))
                throw new ArgumentException($"Comparison {i} names a model not in the list ('{c.First}' vs '{c.Second}').", nameof(comparisons));
            if (c.First == c.Second)
                throw new ArgumentException($"Comparison {i} compares '{c.First}' with itself.", nameof(comparisons));
        }
        var pairs = comparisons
            .Select(c => (Math.Min(index[c.First], index[c.Second]), Math.Max(index[c.First], index[c.Second])))
            .Distinct()
            .ToArray();
        return (index, pairs);
    }

    private static (int First, int Second, double Score) Encode(Comparison c, Dictionary<string, int> index) =>
        (index[c.First], index[c.Second], c.Outcome switch
        {
            ComparisonOutcome.FirstWins => 1.0,
            ComparisonOutcome.SecondWins => 0.0,
            ComparisonOutcome.Tie => 0.5,
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Outcome, "Unknown comparison outcome."),
        });

    private static double[] Fit(int modelCount, IReadOnlyList<(int First, int Second, double Score)> comparisons, (int, int)[] priorPairs, double prior)
    {
        var wins = new double[modelCount];
        var meetings = new double[modelCount, modelCount];
        foreach (var (first, second, score) in comparisons)
        {
            wins[first] += score;
            wins[second] += 1 - score;
            meetings[first, second]++;
            meetings[second, first]++;
        }
        foreach (var (a, b) in priorPairs)
        {
            wins[a] += prior;
            wins[b] += prior;
            meetings[a, b] += 2 * prior;
            meetings[b, a] += 2 * prior;
        }

        var strength = Enumerable.Repeat(1.0 / modelCount, modelCount).ToArray();
        var next = new double[modelCount];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            for (var i = 0; i < modelCount; i++)
            {
                var denominator = 0.0;
                for (var j = 0; j < modelCount; j++)
                    if (j != i && meetings[i, j] > 0) denominator += meetings[i, j] / (strength[i] + strength[j]);
                // A model that met no one keeps its share: the data say nothing about it.
                next[i] = denominator > 0 ? wins[i] / denominator : strength[i];
            }
            var total = next.Sum();
            var change = 0.0;
            for (var i = 0; i < modelCount; i++)
            {
                var value = next[i] / total;
                change = Math.Max(change, Math.Abs(value - strength[i]));
                strength[i] = value;
            }
            if (change < Converged)
                break;
        }
        return strength;
    }
}
