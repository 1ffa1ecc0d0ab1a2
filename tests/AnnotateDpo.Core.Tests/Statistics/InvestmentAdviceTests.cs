using AnnotateDpo.Core.Statistics;
using static AnnotateDpo.Core.Tests.Statistics.StatisticsBuilders;

namespace AnnotateDpo.Core.Tests.Statistics;

public class InvestmentAdviceTests
{
    private static readonly AnnotatorReport NoAnnotators = new([], []);

    [Fact]
    public void Rank_EveryTargetMetAndNoBias_GivesNoAdvice()
    {
        var stats = Stats(Category("die", 15, 60, 100, 100));

        var advice = InvestmentAdvice.Rank(stats, Quality(), NoAnnotators, new ReadinessOptions());

        Assert.Empty(advice);
    }

    [Fact]
    public void Rank_CategoryShortfalls_LargestSftGapFirstAndMetTargetsLeftOut()
    {
        var stats = Stats(Category("handover", 15, 2, 15, 15), Category("safety", 20, 15, 30, 30), Category("troubleshooting", 20, 40, 35, 35));

        var advice = InvestmentAdvice.Rank(stats, Quality(), NoAnnotators, new ReadinessOptions());

        Assert.Equal(
            ["category 'handover' has 2 of 15 approved SFT examples", "category 'safety' has 15 of 20 approved SFT examples"],
            advice.Select(a => a.Text));
    }

    [Fact]
    public void Rank_FewApprovedOverall_NamesTheGuideline()
    {
        var stats = Stats(Category("die", 10, 10, 100, 100));

        var advice = InvestmentAdvice.Rank(stats, Quality(), NoAnnotators, new ReadinessOptions());

        Assert.Equal("the workspace has 10 approved SFT examples; the guideline is 50–200", Assert.Single(advice).Text);
        Assert.Equal(0.8, advice[0].Priority, 12);
    }

    [Fact]
    public void Rank_AnnotatorPairBelowAgreementTarget_NamesBothAndTheirShare()
    {
        var stats = Stats(Category("die", 15, 60, 100, 100));
        var pair = new PairAgreement("tanaka", "yamamoto", 22, Estimate(0.77), Estimate(0.5), Estimate(0.5));
        var fine = new PairAgreement("sato", "suzuki", 25, Estimate(0.95), Estimate(0.9), Estimate(0.9));

        var advice = InvestmentAdvice.Rank(stats, Quality(), new AnnotatorReport([pair, fine], []), new ReadinessOptions());

        var only = Assert.Single(advice);
        Assert.Equal("annotators tanaka and yamamoto agree on only 77% of 22 shared pairs", only.Text);
        Assert.Equal(AdviceArea.Annotators, only.Area);
    }

    [Fact]
    public void Rank_AnnotatorWithPositionBias_NamesTheLeftShare()
    {
        var stats = Stats(Category("die", 15, 60, 100, 100));
        var biased = new AnnotatorProfile("yamamoto", 400, 300, 0.9, 0.05, 0.05, Position(400, 232));
        var unbiased = new AnnotatorProfile("sato", 400, 300, 0.9, 0.05, 0.05, Position(400, 200));

        var advice = InvestmentAdvice.Rank(stats, Quality(), new AnnotatorReport([], [biased, unbiased]), new ReadinessOptions());

        Assert.Equal("yamamoto chose the left response in 58% of 400 verdicts", Assert.Single(advice).Text);
    }

    [Fact]
    public void Rank_MixedGaps_OrderedByPriority()
    {
        var stats = Stats(Category("handover", 15, 0, 20, 10), Category("die", 15, 60, 100, 100));
        var quality = Quality(length: new LengthBias(100, 0.8, 40), nearIdentical: 1, pairs: 100);

        var advice = InvestmentAdvice.Rank(stats, quality, NoAnnotators, new ReadinessOptions());

        Assert.Equal(
        [
            "category 'handover' has 0 of 15 approved SFT examples",
            "the chosen response is the longer one in 80% of resolved pairs; add pairs where the shorter answer wins",
            "category 'handover' has 10 of 20 resolved pairs",
            "1 pair with near-identical responses; edit or drop them",
        ], advice.Select(a => a.Text));
        Assert.True(advice.Zip(advice.Skip(1)).All(p => p.First.Priority >= p.Second.Priority));
    }
}
