using AnnotateDpo.Core.Evaluation;

namespace AnnotateDpo.Core.Tests.Evaluation;

public sealed class EvaluationReportTests
{
    private static JudgedComparison C(string left, string right, ComparisonVerdict verdict, string? category = null) => new(left, right, verdict, category);

    private static IEnumerable<JudgedComparison> Repeat(int times, JudgedComparison comparison) => Enumerable.Repeat(comparison, times);

    [Fact]
    public void HeadToHeads_SevenWinsOfTenEitherSide_CountsFromTheFirstModelsViewWithWilsonIntervals()
    {
        // base wins 7 of 10 against dpo: 4 times shown left, 3 times shown right; dpo wins 1, 2 ties.
        List<JudgedComparison> judgments =
        [
            .. Repeat(4, C("base", "dpo", ComparisonVerdict.Left)),
            .. Repeat(3, C("dpo", "base", ComparisonVerdict.Right)),
            C("dpo", "base", ComparisonVerdict.Left),
            C("base", "dpo", ComparisonVerdict.Tie),
            C("dpo", "base", ComparisonVerdict.Tie),
        ];

        var head = Assert.Single(EvaluationReport.HeadToHeads(["base", "dpo"], judgments));

        Assert.Equal(("base", "dpo", 7, 2, 1, 10), (head.Model, head.Opponent, head.Wins, head.Ties, head.Losses, head.Comparisons));
        Assert.Equal(0.7, head.WinRate!.Value, 12);
        // Wilson (1927) for 7/10, 2/10 and 1/10 at z = 1.95996 (worked out by hand from the formula).
        Assert.Equal(0.396778, head.WinInterval.Low, 5);
        Assert.Equal(0.892209, head.WinInterval.High, 5);
        Assert.Equal(0.056682, head.TieInterval.Low, 5);
        Assert.Equal(0.509838, head.TieInterval.High, 5);
        Assert.Equal(0.017876, head.LossInterval.Low, 5);
        Assert.Equal(0.404150, head.LossInterval.High, 5);
    }

    [Fact]
    public void Compute_TwoModels_GroupsPerCategoryAndRanksNothing()
    {
        List<JudgedComparison> judgments =
        [
            C("a", "b", ComparisonVerdict.Left, "safety"), C("b", "a", ComparisonVerdict.Left, "safety"), C("a", "b", ComparisonVerdict.Left, null),
        ];

        var report = EvaluationReport.Compute(["a", "b"], judgments, []);

        Assert.Null(report.Ranking);
        Assert.Equal(3, report.Judgments);
        Assert.Equal((2, 0, 1), (report.Overall[0].Wins, report.Overall[0].Ties, report.Overall[0].Losses));
        Assert.Equal(["", "safety"], report.PerCategory.Keys.ToArray());
        Assert.Equal((1, 1), (report.PerCategory["safety"][0].Wins, report.PerCategory["safety"][0].Losses));
        Assert.Equal((1, 0), (report.PerCategory[""][0].Wins, report.PerCategory[""][0].Losses));
    }

    [Fact]
    public void Compute_ThreeModelsInABalancedCycle_RanksThemEqualWithBootstrapIntervals()
    {
        List<JudgedComparison> judgments =
        [
            .. Repeat(3, C("a", "b", ComparisonVerdict.Left)),
            .. Repeat(3, C("b", "c", ComparisonVerdict.Left)),
            .. Repeat(3, C("a", "c", ComparisonVerdict.Right)),
        ];

        var report = EvaluationReport.Compute(["a", "b", "c"], judgments, [], bootstrapResamples: 200);

        Assert.NotNull(report.Ranking);
        Assert.Equal(3, report.Overall.Count);
        // Each model wins 3 of 6: by symmetry the Bradley–Terry strengths are equal.
        Assert.All(report.Ranking, r => Assert.Equal(1.0 / 3, r.Strength, 6));
        Assert.All(report.Ranking, r => Assert.True(r.Interval!.Contains(r.Strength)));
    }

    [Fact]
    public void Compute_OneModelBeatsBothOthers_RanksItFirst()
    {
        List<JudgedComparison> judgments =
        [
            .. Repeat(5, C("sft", "base", ComparisonVerdict.Left)),
            .. Repeat(4, C("dpo", "sft", ComparisonVerdict.Right)),
            C("dpo", "sft", ComparisonVerdict.Left),
            .. Repeat(3, C("base", "dpo", ComparisonVerdict.Tie)),
        ];

        var report = EvaluationReport.Compute(["base", "sft", "dpo"], judgments, [], bootstrapResamples: 200);

        Assert.Equal("sft", report.Ranking![0].Model);
        Assert.Equal(1, report.Ranking[0].Rank);
    }

    [Fact]
    public void MetricsOf_Answers_AveragesLengthsAndMeasuresRepetition()
    {
        var metrics = EvaluationReport.MetricsOf("m", [("check the pump check the pump", 6), ("点検", 2)], new RunEvalFigures(1.5, null));

        Assert.Equal(2, metrics.Answers);
        Assert.Equal((29 + 2) / 2.0, metrics.MeanCharacters!.Value, 9);
        Assert.Equal(4.0, metrics.MeanTokens!.Value, 9);
        // Bigrams: check the, the pump, pump check, check the, the pump | 点 検 → 4 distinct of 6.
        Assert.Equal(4.0 / 6, metrics.Distinct2!.Value, 9);
        Assert.Equal(1.5, metrics.EvalSftLoss);
        Assert.Null(metrics.EvalRewardAccuracy);
    }
}
