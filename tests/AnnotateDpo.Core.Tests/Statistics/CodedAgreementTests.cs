using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Core.Tests.Statistics;

/// <summary>The integer-coded estimates against the plain functions of <see cref="Agreement"/>, on random data.</summary>
public class CodedAgreementTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PercentAndAlpha_RandomItems_EqualTheReferenceFunctions(int seed)
    {
        var random = new Random(seed);
        var items = Enumerable.Range(0, 60)
            .Select(_ => Enumerable.Range(0, 2 + random.Next(3)).Select(_ => random.Next(3)).ToArray()).ToList();
        var ratings = items.SelectMany((labels, i) => labels.Select((label, a) => new Rating<int>($"i{i}", $"a{a}", label))).ToList();

        var (percent, alpha) = CodedAgreement.PercentAndAlpha(Once(items), 3);

        Assert.Equal(Agreement.PercentAgreement(ratings)!.Value, percent.Value!.Value, 12);
        Assert.Equal(Agreement.KrippendorffAlphaNominal(ratings)!.Value, alpha.Value!.Value, 12);
        Assert.Equal(60, alpha.Items);
        Assert.True(alpha.Interval95!.Contains(alpha.Value.Value));
    }

    /// <summary>
    /// The type-count bootstrap draws other numbers than the item bootstrap, from the same distribution, so their
    /// percentile intervals agree up to Monte Carlo error. With R resamples a 2.5% (or 97.5%) percentile of a roughly
    /// normal statistic of spread σ has a standard error of √(0.025 · 0.975 / R) / φ(1.96) · σ ≈ 2.67 σ / √R; at
    /// R = 20 000 the difference of two independent estimates has a standard error of 0.027 σ. The interval is about
    /// 3.92 σ wide, so a tolerance of 4% of its width (0.16 σ, six standard errors) only fails for a different
    /// distribution, such as resampling one item too few or with the wrong type weights.
    /// </summary>
    [Fact]
    public void PercentAndAlpha_TypeCountBootstrap_MatchesTheItemBootstrapWithinSamplingNoise()
    {
        const int resamples = 20_000;
        var random = new Random(5);
        var items = Enumerable.Range(0, 80).Select(_ =>
        {
            var truth = random.Next(3);
            return Enumerable.Range(0, 2 + random.Next(2)).Select(_ => random.NextDouble() < 0.7 ? truth : random.Next(3)).ToArray();
        }).ToList();

        var (percent, alpha) = CodedAgreement.PercentAndAlpha(Once(items), 3, resamples);

        // The reference bootstrap over whole items, renaming each drawn copy so that repeats stay separate items.
        IEnumerable<Rating<int>> Ratings(IReadOnlyList<int[]> sample) =>
            sample.SelectMany((labels, i) => labels.Select((label, a) => new Rating<int>($"{i}", $"a{a}", label)));
        AssertWithinNoise(Intervals.Bootstrap(items, sample => Agreement.KrippendorffAlphaNominal(Ratings(sample)), resamples)!, alpha.Interval95!);
        AssertWithinNoise(Intervals.Bootstrap(items, sample => Agreement.PercentAgreement(Ratings(sample)), resamples)!, percent.Interval95!);
    }

    /// <summary>The same for two annotators' κ; see the tolerance above.</summary>
    [Fact]
    public void TwoAnnotators_TypeCountBootstrap_MatchesTheItemBootstrapWithinSamplingNoise()
    {
        const int resamples = 20_000;
        var random = new Random(11);
        var first = Enumerable.Range(0, 120).Select(_ => random.Next(4)).ToList();
        var second = first.Select(label => random.NextDouble() < 0.6 ? label : random.Next(4)).ToList();

        var (_, _, kappa) = CodedAgreement.TwoAnnotators(Table(first, second, 4), 4, resamples);

        var reference = Intervals.Bootstrap(first.Select((label, i) => (First: label, Second: second[i])).ToList(), sample =>
            Agreement.CohensKappa(sample.SelectMany((p, i) => new[] { new Rating<int>($"{i}", "x", p.First), new Rating<int>($"{i}", "y", p.Second) }), "x", "y"),
            resamples);
        AssertWithinNoise(reference!, kappa.Interval95!);
    }

    private static void AssertWithinNoise(Interval reference, Interval actual)
    {
        var tolerance = 0.04 * (reference.High - reference.Low);
        Assert.InRange(actual.Low, reference.Low - tolerance, reference.Low + tolerance);
        Assert.InRange(actual.High, reference.High - tolerance, reference.High + tolerance);
    }

    [Fact]
    public void TwoAnnotators_RandomLabels_EqualTheReferenceFunctions()
    {
        var random = new Random(9);
        var first = Enumerable.Range(0, 40).Select(_ => random.Next(3)).ToList();
        var second = first.Select(label => random.NextDouble() < 0.7 ? label : random.Next(3)).ToList();
        var ratings = first.Select((label, i) => new Rating<int>($"{i}", "x", label))
            .Concat(second.Select((label, i) => new Rating<int>($"{i}", "y", label))).ToList();

        var (percent, alpha, kappa) = CodedAgreement.TwoAnnotators(Table(first, second, 3), 3);

        Assert.Equal(Agreement.PercentAgreement(ratings)!.Value, percent.Value!.Value, 12);
        Assert.Equal(Agreement.KrippendorffAlphaNominal(ratings)!.Value, alpha.Value!.Value, 12);
        Assert.Equal(Agreement.CohensKappa(ratings, "x", "y")!.Value, kappa.Value!.Value, 12);
        Assert.True(kappa.Interval95!.Contains(kappa.Value.Value));
    }

    [Fact]
    public void PercentAndAlpha_ItemsCountedTwice_EqualEachItemListedTwice()
    {
        var random = new Random(4);
        var items = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 2 + random.Next(2)).Select(_ => random.Next(3)).ToArray()).ToList();

        var weighted = CodedAgreement.PercentAndAlpha(items.Select(labels => ((IReadOnlyList<int>)labels, 2)).ToList(), 3);
        var listed = CodedAgreement.PercentAndAlpha(Once(items.Concat(items).ToList()), 3);

        Assert.Equivalent(listed, weighted, strict: true);
        Assert.Equal(60, weighted.Alpha.Items);
    }

    [Fact]
    public void ByAnnotatorPair_ThreeRatings_EveryPairInOrdinalOrderWithItsLabelTable()
    {
        var pairs = CodedAgreement.ByAnnotatorPair([([("c", 0), ("a", 1), ("b", 2)], 1), ([("b", 1), ("a", 1)], 3)], 3);

        Assert.Equal([("a", "b"), ("a", "c"), ("b", "c")], pairs.Keys.Order());
        // a–b: (1, 2) once, (1, 1) three times.
        Assert.Equal([0, 0, 0, 0, 3, 1, 0, 0, 0], pairs[("a", "b")]);
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 0, 0], pairs[("a", "c")]);
    }

    private static List<(IReadOnlyList<int> Labels, int Items)> Once(IReadOnlyList<int[]> items) =>
        items.Select(labels => ((IReadOnlyList<int>)labels, 1)).ToList();

    /// <summary>The label pairs of two annotators' items, in <see cref="CodedAgreement.TwoAnnotators"/>' layout.</summary>
    private static int[] Table(IReadOnlyList<int> first, IReadOnlyList<int> second, int labelCount)
    {
        var table = new int[labelCount * labelCount];
        for (var i = 0; i < first.Count; i++) table[first[i] * labelCount + second[i]]++;
        return table;
    }
}
