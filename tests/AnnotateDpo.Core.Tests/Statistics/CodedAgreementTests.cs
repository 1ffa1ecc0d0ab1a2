using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Core.Tests.Statistics;

/// <summary>The integer-coded estimates against the plain functions of <see cref="Agreement"/>, on random data.</summary>
public class CodedAgreementTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PercentAndAlpha_RandomItems_EqualTheReferenceFunctionsAndTheirBootstrap(int seed)
    {
        var random = new Random(seed);
        var items = Enumerable.Range(0, 60)
            .Select(_ => Enumerable.Range(0, 2 + random.Next(3)).Select(_ => random.Next(3)).ToArray()).ToList();
        var ratings = items.SelectMany((labels, i) => labels.Select((label, a) => new Rating<int>($"i{i}", $"a{a}", label))).ToList();

        var (percent, alpha) = CodedAgreement.PercentAndAlpha(items, 3);

        Assert.Equal(Agreement.PercentAgreement(ratings)!.Value, percent.Value!.Value, 12);
        Assert.Equal(Agreement.KrippendorffAlphaNominal(ratings)!.Value, alpha.Value!.Value, 12);
        // The reference bootstrap over whole items, renaming each drawn copy so that repeats stay separate items.
        var reference = Intervals.Bootstrap(items, sample => Agreement.KrippendorffAlphaNominal(
            sample.SelectMany((labels, i) => labels.Select((label, a) => new Rating<int>($"{i}", $"a{a}", label)))));
        Assert.Equal(reference!.Low, alpha.Interval95!.Low, 9);
        Assert.Equal(reference.High, alpha.Interval95.High, 9);
        Assert.Equal(60, alpha.Items);
    }

    [Fact]
    public void TwoAnnotators_RandomLabels_EqualTheReferenceFunctions()
    {
        var random = new Random(9);
        var first = Enumerable.Range(0, 40).Select(_ => random.Next(3)).ToList();
        var second = first.Select(label => random.NextDouble() < 0.7 ? label : random.Next(3)).ToList();
        var ratings = first.Select((label, i) => new Rating<int>($"{i}", "x", label))
            .Concat(second.Select((label, i) => new Rating<int>($"{i}", "y", label))).ToList();

        var (percent, alpha, kappa) = CodedAgreement.TwoAnnotators(first, second, 3);

        Assert.Equal(Agreement.PercentAgreement(ratings)!.Value, percent.Value!.Value, 12);
        Assert.Equal(Agreement.KrippendorffAlphaNominal(ratings)!.Value, alpha.Value!.Value, 12);
        Assert.Equal(Agreement.CohensKappa(ratings, "x", "y")!.Value, kappa.Value!.Value, 12);
        var reference = Intervals.Bootstrap(first.Select((label, i) => (First: label, Second: second[i])).ToList(), sample =>
            Agreement.CohensKappa(sample.SelectMany((p, i) => new[] { new Rating<int>($"{i}", "x", p.First), new Rating<int>($"{i}", "y", p.Second) }), "x", "y"));
        Assert.Equal(reference!.Low, kappa.Interval95!.Low, 9);
        Assert.Equal(reference.High, kappa.Interval95.High, 9);
    }

    [Fact]
    public void ByAnnotatorPair_ThreeRatings_EveryPairInOrdinalOrder()
    {
        var pairs = CodedAgreement.ByAnnotatorPair([[("c", 0), ("a", 1), ("b", 2)], [("b", 1), ("a", 1)]]);

        Assert.Equal([("a", "b"), ("a", "c"), ("b", "c")], pairs.Keys.Order());
        Assert.Equal([1, 1], pairs[("a", "b")].First);
        Assert.Equal([2, 1], pairs[("a", "b")].Second);
    }
}
