using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Core.Tests.Statistics;

public class AgreementTests
{
    /// <summary>
    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the reliability data of 4 observers and
    /// 12 units with missing values; nominal α = 0.743.
    /// </summary>
    private static readonly int?[][] KrippendorffExample =
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
        [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];

    private static List<Rating<int>> Ratings(int?[][] table) =>
        table.SelectMany((row, observer) => row
                .Select((value, unit) => (value, unit))
                .Where(x => x.value is not null)
                .Select(x => new Rating<int>($"unit-{x.unit}", $"observer-{observer}", x.value!.Value)))
            .ToList();

    [Fact]
    public void KrippendorffAlphaNominal_PublishedExample_Is0743()
    {
        var alpha = Agreement.KrippendorffAlphaNominal(Ratings(KrippendorffExample));

        Assert.NotNull(alpha);
        Assert.Equal(0.743, alpha.Value, 3);
    }

    [Fact]
    public void KrippendorffAlphaNominal_PermutedObservers_IsUnchanged()
    {
        var permuted = new[] { KrippendorffExample[2], KrippendorffExample[0], KrippendorffExample[3], KrippendorffExample[1] };

        var original = Agreement.KrippendorffAlphaNominal(Ratings(KrippendorffExample));
        var shuffled = Agreement.KrippendorffAlphaNominal(Ratings(permuted));

        Assert.Equal(original!.Value, shuffled!.Value, 12);
    }

    [Fact]
    public void KrippendorffAlphaNominal_PerfectAgreement_IsOne()
    {
        int?[][] table = [[1, 2, 3, 1, 2], [1, 2, 3, 1, 2], [1, 2, null, 1, 2]];

        Assert.Equal(1.0, Agreement.KrippendorffAlphaNominal(Ratings(table))!.Value, 12);
        Assert.Equal(1.0, Agreement.PercentAgreement(Ratings(table))!.Value, 12);
    }

    [Fact]
    public void KrippendorffAlphaNominal_OneLabelOnly_IsUndefined()
    {
        int?[][] table = [[1, 1, 1], [1, 1, 1]];

        Assert.Null(Agreement.KrippendorffAlphaNominal(Ratings(table)));
    }

    /// <summary>The worked example of Cohen's κ on Wikipedia: 50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no; κ = 0.4.</summary>
    [Fact]
    public void CohensKappa_WorkedExample_IsPointFour()
    {
        var ratings = new List<Rating<string>>();
        void Add(int count, string a, string b)
        {
            for (var i = 0; i < count; i++)
            {
                var item = $"item-{ratings.Count}";
                ratings.Add(new(item, "A", a));
                ratings.Add(new(item, "B", b));
            }
        }
        Add(20, "yes", "yes");
        Add(5, "yes", "no");
        Add(10, "no", "yes");
        Add(15, "no", "no");

        var kappa = Agreement.CohensKappa(ratings, "A", "B");

        Assert.Equal(0.4, kappa!.Value, 12);
        Assert.Equal(kappa, Agreement.CohensKappa(ratings, "B", "A"));
        Assert.Equal(50, Agreement.SharedItemCount(ratings, "A", "B"));
        Assert.Equal(0.7, Agreement.PercentAgreement(ratings)!.Value, 12);
    }

    [Fact]
    public void CohensKappa_NoSharedItems_IsUndefined()
    {
        var ratings = new List<Rating<string>> { new("1", "A", "x"), new("2", "B", "x") };

        Assert.Null(Agreement.CohensKappa(ratings, "A", "B"));
        Assert.Null(Agreement.PercentAgreement(ratings));
    }
}

public class IntervalsTests
{
    /// <summary>Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, Wilson score method.</summary>
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_NewcombeExamples_Match(int successes, int trials, double low, double high)
    {
        var interval = Intervals.Wilson(successes, trials);

        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
    }

    [Fact]
    public void Bootstrap_SameSeed_GivesTheSameIntervalAroundTheEstimate()
    {
        var values = Enumerable.Range(0, 200).Select(i => i % 4 == 0 ? 1.0 : 0.0).ToList();
        double? Mean(IReadOnlyList<double> sample) => sample.Average();

        var first = Intervals.Bootstrap(values, Mean, seed: 7);
        var second = Intervals.Bootstrap(values, Mean, seed: 7);

        Assert.Equal(first, second);
        Assert.True(first!.Contains(0.25));
        Assert.InRange(first.High - first.Low, 0.05, 0.2);
    }
}
