using AnnotateDpo.Core.Statistics;
using static AnnotateDpo.Core.Tests.Statistics.StatisticsBuilders;

namespace AnnotateDpo.Core.Tests.Statistics;

public class ReadinessTests
{
    private static readonly ReadinessOptions Defaults = new();

    private static ReadinessCheck Check(IReadOnlyList<ReadinessCheck> checks, string name) => Assert.Single(checks, c => c.Name == name);

    [Fact]
    public void Evaluate_EveryBarCleared_AllGreenWithTheirNumbers()
    {
        var stats = Stats(Category("die", 15, 30, 60, 60), Category("safety", 20, 20, 60, 40));

        var checks = Readiness.Evaluate(stats, Quality(alpha: 0.8), Defaults);

        Assert.All(checks, c => Assert.Equal(ReadinessLevel.Green, c.Level));
        Assert.Equal("50 approved of 50 needed", Check(checks, Readiness.ApprovedSft).Detail);
        Assert.Equal("2 of 2 categories have approved examples", Check(checks, Readiness.CategoriesCovered).Detail);
        Assert.Equal("100 resolved of 100 needed", Check(checks, Readiness.ResolvedPairs).Detail);
        Assert.Equal("α = 0.800 over 100 items (needs ≥ 0.40)", Check(checks, Readiness.AnnotatorAgreement).Detail);
        Assert.True(Readiness.IsReady(checks));
    }

    [Fact]
    public void Evaluate_PositionFlagged_GivesTheFindingAsNumbersForAnyLanguage()
    {
        var stats = Stats(Category("die", 15, 30, 60, 60));

        var position = Check(Readiness.Evaluate(stats, Quality(position: Position(400, 260)), Defaults), Readiness.PositionBias);

        Assert.Equal((ReadinessItem.PositionBias, ReadinessFinding.LeftShare), (position.Item, position.Finding));
        Assert.Equal(0.65, (double)position.Arguments[0], 12);
        Assert.Equal(400, position.Arguments[1]);
        Assert.Equal("{0:0.0%} of {1:N0} A/B verdicts for the left response (95% CI {2:0.0%}–{3:0.0%})", position.Template);
        Assert.StartsWith("65.0% of 400 A/B verdicts for the left response (95% CI 60.2%–", position.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(49, ReadinessLevel.Amber)]
    [InlineData(25, ReadinessLevel.Amber)]
    [InlineData(24, ReadinessLevel.Red)]
    public void Evaluate_ApprovedBelowMinimum_AmberFromHalfWayRedBelow(int approved, ReadinessLevel expected)
    {
        var stats = Stats(Category("die", 15, approved, 100, 100));

        var checks = Readiness.Evaluate(stats, Quality(), Defaults);

        Assert.Equal(expected, Check(checks, Readiness.ApprovedSft).Level);
    }

    [Fact]
    public void Evaluate_CategoryWithoutExamples_RedAndNotReady()
    {
        var stats = Stats(Category("die", 15, 60, 100, 100), Category("handover", 15, 0, 0, 0));

        var checks = Readiness.Evaluate(stats, Quality(), Defaults);

        var categories = Check(checks, Readiness.CategoriesCovered);
        Assert.Equal(ReadinessLevel.Red, categories.Level);
        Assert.Equal("1 of 2 categories have approved examples", categories.Detail);
        Assert.False(Readiness.IsReady(checks));
    }

    [Fact]
    public void Evaluate_CategoryWithOnlySubmittedExamples_Amber()
    {
        var stats = Stats(Category("die", 15, 60, 100, 100), Category("handover", 15, 0, 0, 0, submitted: 3));

        var checks = Readiness.Evaluate(stats, Quality(), Defaults);

        Assert.Equal(ReadinessLevel.Amber, Check(checks, Readiness.CategoriesCovered).Level);
    }

    [Fact]
    public void Evaluate_ResolvedPairsThresholdFromOptions_IsUsed()
    {
        var stats = Stats(Category("die", 15, 60, 100, 100));

        var checks = Readiness.Evaluate(stats, Quality(), new ReadinessOptions { MinimumResolvedPairs = 150 });

        var pairs = Check(checks, Readiness.ResolvedPairs);
        Assert.Equal(ReadinessLevel.Amber, pairs.Level);
        Assert.Equal("100 resolved of 150 needed", pairs.Detail);
    }

    [Theory]
    [InlineData(0.39, 0.2, ReadinessLevel.Red)]
    [InlineData(0.5, 0.3, ReadinessLevel.Amber)]
    [InlineData(0.5, 0.4, ReadinessLevel.Green)]
    public void Evaluate_Alpha_RedBelowBarAmberWhenIntervalReachesBelow(double alpha, double low, ReadinessLevel expected)
    {
        var stats = Stats(Category("die", 15, 60, 100, 100));

        var checks = Readiness.Evaluate(stats, Quality(alpha, new Interval(low, 0.9)), Defaults);

        Assert.Equal(expected, Check(checks, Readiness.AnnotatorAgreement).Level);
    }

    [Fact]
    public void Evaluate_AlphaUndefined_AmberNotMeasurable()
    {
        var stats = Stats(Category("die", 15, 60, 100, 100));

        var checks = Readiness.Evaluate(stats, Quality(alpha: null), Defaults);

        var alpha = Check(checks, Readiness.AnnotatorAgreement);
        Assert.Equal(ReadinessLevel.Amber, alpha.Level);
        Assert.StartsWith("not measurable yet", alpha.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000, 500, ReadinessLevel.Green)]
    [InlineData(1000, 580, ReadinessLevel.Amber)]
    [InlineData(1000, 650, ReadinessLevel.Red)]
    public void Evaluate_PositionBias_AmberWhenFlaggedRedWhenSevere(int verdicts, int forLeft, ReadinessLevel expected)
    {
        var stats = Stats(Category("die", 15, 60, 100, 100));

        var checks = Readiness.Evaluate(stats, Quality(position: Position(verdicts, forLeft)), Defaults);

        Assert.Equal(expected, Check(checks, Readiness.PositionBias).Level);
    }
}
