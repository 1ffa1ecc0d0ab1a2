using AnnotateDpo.Training.Diagnostics;

namespace AnnotateDpo.Training.Tests.Diagnostics;

/// <summary>Flags on constructed pairs: each pair's start (step 0) and end (last step) are chosen to trip one flag.</summary>
public sealed class PairDiagnosticsTests
{
    private const double Beta = 0.1;

    private static readonly int[] TenTokens = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// <summary>A pair from its step-0 and last-step log-probs, with token ids that differ completely unless given.</summary>
    private sealed record Case(double Chosen0, double Rejected0, double Chosen1, double Rejected1, int[]? ChosenIds = null, int[]? RejectedIds = null);

    private static PairDiagnosticsReport Diagnose(params Case[] cases)
    {
        var start = cases.Select((c, i) => new EvalPairRecord(i, c.Chosen0, c.Rejected0,
            ChosenIds: c.ChosenIds ?? TenTokens, RejectedIds: c.RejectedIds ?? TenTokens.Select(t => t + 100).ToArray())).ToList();
        var end = cases.Select((c, i) => new EvalPairRecord(i, c.Chosen1, c.Rejected1,
            (c.ChosenIds ?? TenTokens).Length, (c.RejectedIds ?? TenTokens).Length)).ToList();
        return PairDiagnostics.Compute([new EvalPass("dpo", 0, 6, start), new EvalPass("dpo", 6, 6, end)], Beta);
    }

    [Fact]
    public void Compute_ChosenFellWhileMarginGrew_IsDisplacement()
    {
        var pair = Diagnose(new Case(-20, -25, -21, -28)).Pairs.Single();

        Assert.Equal(PairFlags.Displacement, pair.Flags);
        Assert.Equal(PairOutcome.Displacement, pair.Outcome);
        Assert.Equal((-1.0, -3.0, 2.0), (pair.DeltaChosen, pair.DeltaRejected, pair.Margin));
        Assert.Equal(1 / (1 + Math.Exp(Beta * 2)), pair.Weight, 12);
    }

    [Fact]
    public void Compute_RejectedCollapsedWhileChosenHeld_IsSuppressionOnly()
    {
        var pair = Diagnose(new Case(-20, -25, -20, -40)).Pairs.Single();

        Assert.Equal(PairFlags.Suppression, pair.Flags);
        Assert.Equal(PairOutcome.Suppression, pair.Outcome);
    }

    [Fact]
    public void Compute_ChosenRoseAndRejectedFellALittle_HasNoFlag()
    {
        var pair = Diagnose(new Case(-20, -25, -18, -26)).Pairs.Single();

        Assert.Equal(PairFlags.None, pair.Flags);
        Assert.Equal(PairOutcome.ChosenRose, pair.Outcome);
    }

    [Fact]
    public void Compute_BothFellAndMarginShrank_IsOtherWithoutDisplacement()
    {
        var pair = Diagnose(new Case(-20, -25, -22, -25.5)).Pairs.Single();

        Assert.Equal(PairFlags.None, pair.Flags);
        Assert.Equal(PairOutcome.Other, pair.Outcome);
        Assert.True(pair.Margin < 0);
    }

    [Fact]
    public void Compute_ResponsesDifferingInOneTokenOfTen_IsNearIdentical()
    {
        int[] rejected = [1, 2, 3, 4, 5, 6, 7, 8, 9, 99];

        var pair = Diagnose(new Case(-20, -21, -18, -22, TenTokens, rejected)).Pairs.Single();

        Assert.Equal(0.1, pair.EditDistance!.Value, 12);
        Assert.False(pair.Has(PairFlags.NearIdentical));
        var closer = Diagnose(new Case(-20, -21, -18, -22, [.. TenTokens, 11], [.. rejected[..^1], 10, 12])).Pairs.Single();
        Assert.Equal(1 / 11.0, closer.EditDistance!.Value, 12);
        Assert.True(closer.Has(PairFlags.NearIdentical));
    }

    [Fact]
    public void Compute_WinOnSumsLostPerToken_IsLengthDrivenWin()
    {
        // Chosen: 5 tokens, −1 nat (−0.2 a token); rejected: 50 tokens, −5 nats (−0.1 a token). Summed margin +4.
        var chosen = TenTokens[..5];
        var rejected = Enumerable.Range(200, 50).ToArray();

        var pair = Diagnose(new Case(-10, -100, -11, -105, chosen, rejected)).Pairs.Single();

        Assert.True(pair.Has(PairFlags.LengthDrivenWin));
        Assert.Equal(-45, pair.LengthDifference);
        var perTokenWin = Diagnose(new Case(-10, -100, -10.1, -105, chosen, rejected)).Pairs.Single();
        Assert.False(perTokenWin.Has(PairFlags.LengthDrivenWin));
    }

    [Fact]
    public void Compute_Summary_AveragesDeltasAndCountsFlags()
    {
        var report = Diagnose(
            new Case(-20, -25, -21, -28), // displacement
            new Case(-20, -25, -20, -40), // suppression
            new Case(-20, -25, -18, -26), // chosen rose
            new Case(-30, -10, -29, -11)); // chosen rose; the reference preferred the rejected answer

        var summary = report.Summary;
        Assert.Equal(4, summary.Count);
        Assert.Equal(6, summary.LastStep);
        Assert.Equal((-1 + 0 + 2 + 1) / 4.0, summary.MeanDeltaChosen, 12);
        Assert.Equal((-3 - 15 - 1 - 1) / 4.0, summary.MeanDeltaRejected, 12);
        Assert.Equal(0.25, summary.DisplacementShare);
        Assert.Equal((1, 1, 2), (summary.DisplacementCount, summary.SuppressionCount, summary.ChosenRoseCount));
        Assert.Equal(1, summary.RejectedPreferredAtReferenceCount);
        Assert.Equal(report.Pairs.Average(p => p.Weight), summary.MeanWeight, 12);
    }

    [Fact]
    public void Compute_Trajectory_HoldsEveryDpoPassInStepOrder()
    {
        EvalPass Pass(string stage, int step, double chosen) => new(stage, step, 4, [new EvalPairRecord(0, chosen, -9)]);

        var report = PairDiagnostics.Compute([Pass("dpo", 4, -3), Pass("sft", 0, -50), Pass("dpo", 0, -5), Pass("dpo", 2, -4)], Beta);

        var pair = report.Pairs.Single();
        Assert.Equal([0, 2, 4], pair.Trajectory.Select(p => p.Step));
        Assert.Equal([-5.0, -4.0, -3.0], pair.Trajectory.Select(p => p.Chosen));
        Assert.Null(pair.EditDistance);
        Assert.Null(pair.LengthDifference);
        Assert.Null(report.Summary.RejectedPreferredAtReferenceCount);
    }

    [Fact]
    public void Compute_NoStepZeroPass_SaysTheReferenceIsUnknown()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            PairDiagnostics.Compute([new EvalPass("dpo", 2, 4, [new EvalPairRecord(0, -1, -2)])], Beta));

        Assert.Contains("step 0", error.Message);
    }

    [Fact]
    public void Compute_PassLackingAPair_NamesStepAndPair()
    {
        var error = Assert.Throws<InvalidDataException>(() => PairDiagnostics.Compute(
            [new EvalPass("dpo", 0, 4, [new EvalPairRecord(0, -1, -2), new EvalPairRecord(1, -1, -2)]),
             new EvalPass("dpo", 4, 4, [new EvalPairRecord(0, -1, -2)])], Beta));

        Assert.Contains("step 4 lacks eval pair 1", error.Message);
    }

    [Theory]
    [InlineData(new[] { 1, 2, 3 }, new[] { 1, 2, 3 }, 0)]
    [InlineData(new[] { 1, 2, 3 }, new[] { 1, 3 }, 1)]
    [InlineData(new[] { 1, 2, 3 }, new[] { 4, 5 }, 3)]
    [InlineData(new int[0], new[] { 4, 5 }, 2)]
    public void TokenEditDistance_KnownCases(int[] a, int[] b, int expected)
    {
        Assert.Equal(expected, TokenEditDistance.Distance(a, b));
        Assert.Equal(expected, TokenEditDistance.Distance(b, a));
    }
}
