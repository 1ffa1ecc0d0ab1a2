using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Core.Tests.Statistics;

/// <summary>Hand-made statistics for the pure functions over them.</summary>
internal static class StatisticsBuilders
{
    public static CategoryStats Category(string name, int sftTarget, int approved, int pairTarget, int resolved, int submitted = 0) =>
        new(name, sftTarget, pairTarget, new SftCounts(0, submitted, approved, 0), new PairCounts(resolved, resolved, 0, 0, 0, 0));

    public static WorkspaceStats Stats(params CategoryStats[] categories) => new(
        "press", categories,
        categories.Aggregate(SftCounts.Zero, (sum, c) => sum.Add(c.Sft)),
        categories.Aggregate(PairCounts.Zero, (sum, c) => sum.Add(c.Pairs)),
        0, 0, 0);

    public static PositionBias Position(int verdicts, int forLeft)
    {
        var interval = Intervals.Wilson(forLeft, verdicts);
        return new PositionBias(verdicts, forLeft, (double)forLeft / verdicts, interval, !interval.Contains(0.5));
    }

    public static QualityReport Quality(double? alpha = 0.8, Interval? alphaInterval = null, PositionBias? position = null,
        LengthBias? length = null, int nearIdentical = 0, int pairs = 200) => new(
        "press",
        new AgreementReport(2, new AgreementEstimate(0.9, 100, null), new AgreementEstimate(alpha, 100, alphaInterval ?? new Interval(0.7, 0.9)), [], 0),
        position ?? Position(200, 100),
        length ?? new LengthBias(100, 0.5, 0),
        nearIdentical,
        pairs);

    public static AgreementEstimate Estimate(double value) => new(value, 22, null);
}
