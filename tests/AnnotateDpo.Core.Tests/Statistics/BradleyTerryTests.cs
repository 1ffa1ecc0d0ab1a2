using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Core.Tests.Statistics;

public sealed class BradleyTerryTests
{
    private static IEnumerable<Comparison> Games(string first, string second, int firstWins, int secondWins, int ties = 0) =>
        Enumerable.Repeat(new Comparison(first, second, ComparisonOutcome.FirstWins), firstWins)
            .Concat(Enumerable.Repeat(new Comparison(first, second, ComparisonOutcome.SecondWins), secondWins))
            .Concat(Enumerable.Repeat(new Comparison(first, second, ComparisonOutcome.Tie), ties));

    /// <summary>
    /// Worked example: results exactly as strengths 4 : 2 : 1 predict (A–B 4–2, A–C 4–1, B–C 2–1). The score equations
    /// W_i = Σ_j n_ij π_i/(π_i+π_j) hold at π = (4, 2, 1)/7 (A: 6·4/6 + 5·4/5 = 8 wins), so that is the maximum-likelihood fit.
    /// </summary>
    [Fact]
    public void Fit_ResultsExactlyAsStrengthsPredict_RecoversFourTwoOne()
    {
        var comparisons = Games("A", "B", 4, 2).Concat(Games("A", "C", 4, 1)).Concat(Games("B", "C", 2, 1)).ToList();

        var strengths = BradleyTerry.Fit(["A", "B", "C"], comparisons, prior: 0);

        Assert.Equal(4 / 7.0, strengths[0], 9);
        Assert.Equal(2 / 7.0, strengths[1], 9);
        Assert.Equal(1 / 7.0, strengths[2], 9);
    }

    [Fact]
    public void Fit_TwoModels_StrengthRatioIsTheWinRatioWithTiesHalved()
    {
        var strengths = BradleyTerry.Fit(["x", "y"], Games("x", "y", 5, 1, ties: 2).ToList(), prior: 0);

        Assert.Equal(6 / 8.0, strengths[0], 9);
    }

    [Fact]
    public void Fit_UnevenData_SatisfiesTheScoreEquations()
    {
        var comparisons = Games("a", "b", 7, 3, 1).Concat(Games("b", "c", 2, 5)).Concat(Games("a", "c", 1, 4, 2)).Concat(Games("c", "d", 6, 2)).ToList();
        string[] models = ["a", "b", "c", "d"];

        var strengths = BradleyTerry.Fit(models, comparisons, prior: 0);

        for (var i = 0; i < models.Length; i++)
        {
            var observed = comparisons.Sum(c =>
                c.First == models[i] ? Score(c.Outcome) : c.Second == models[i] ? 1 - Score(c.Outcome) : 0);
            var expected = comparisons.Sum(c =>
            {
                var (first, second) = (Array.IndexOf(models, c.First), Array.IndexOf(models, c.Second));
                return first == i ? strengths[i] / (strengths[i] + strengths[second])
                    : second == i ? strengths[i] / (strengths[i] + strengths[first]) : 0;
            });
            Assert.Equal(observed, expected, 6);
        }
    }

    private static double Score(ComparisonOutcome outcome) => outcome switch
    {
        ComparisonOutcome.FirstWins => 1,
        ComparisonOutcome.SecondWins => 0,
        _ => 0.5,
    };

    [Fact]
    public void Fit_ModelThatNeverWins_StaysPositiveWithThePrior()
    {
        var strengths = BradleyTerry.Fit(["best", "worst"], Games("best", "worst", 10, 0).ToList());

        // With 0.1 virtual wins each way: (10 + 0.1) / (10 + 0.2).
        Assert.Equal(10.1 / 10.2, strengths[0], 9);
        Assert.True(strengths[1] > 0);
    }

    [Fact]
    public void Rank_OrdersByStrengthWithIntervalsAroundTheEstimate()
    {
        var comparisons = Games("A", "B", 8, 4).Concat(Games("A", "C", 8, 2)).Concat(Games("B", "C", 4, 2)).ToList();

        var ranking = BradleyTerry.Rank(["C", "B", "A"], comparisons, resamples: 400, seed: 3);

        Assert.Equal(["A", "B", "C"], ranking.Select(r => r.Model));
        Assert.Equal([1, 2, 3], ranking.Select(r => r.Rank));
        Assert.All(ranking, r => Assert.True(r.Interval!.Contains(r.Strength), $"{r.Model}: {r.Strength} outside {r.Interval}"));
        Assert.Equal((16.0, 22), (ranking[0].Wins, ranking[0].Comparisons));
        Assert.Equal(ranking, BradleyTerry.Rank(["C", "B", "A"], comparisons, resamples: 400, seed: 3));
    }

    [Fact]
    public void Rank_NoComparisons_GivesEqualStrengthsAndNoIntervals()
    {
        var ranking = BradleyTerry.Rank(["a", "b"], []);

        Assert.All(ranking, r => Assert.Equal((0.5, (Interval?)null), (r.Strength, r.Interval)));
    }

    [Fact]
    public void Fit_UnknownModel_NamesTheComparison()
    {
        var error = Assert.Throws<ArgumentException>(() => BradleyTerry.Fit(["a", "b"], [new Comparison("a", "b", ComparisonOutcome.Tie), new Comparison("a", "z", ComparisonOutcome.Tie)]));

        Assert.Contains("Comparison 1", error.Message);
        Assert.Contains("'z'", error.Message);
    }
}
