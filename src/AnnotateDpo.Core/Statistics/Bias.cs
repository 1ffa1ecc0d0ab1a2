using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Statistics;

/// <param name="LeftShare">Share of A/B verdicts that went to the response shown on the left.</param>
/// <param name="Flagged">True when 50% lies outside the 95% Wilson interval of that share.</param>
public sealed record PositionBias(int Verdicts, int ForLeft, double LeftShare, Interval Interval, bool Flagged);

/// <param name="LongerChosenShare">Share of pairs of unequal length whose chosen response is the longer one.</param>
/// <param name="MeanLengthDifference">Mean of length(chosen) − length(rejected), in characters.</param>
public sealed record LengthBias(int Pairs, double LongerChosenShare, double MeanLengthDifference);

public sealed record ChosenRejected(string Chosen, string Rejected);

public static class Bias
{
    /// <summary>Below this normalised edit distance two responses count as nearly identical, which DPO handles badly.</summary>
    public const double NearIdenticalDistance = 0.1;

    /// <summary>Position bias of A/B verdicts (ties and both-bad say nothing about position and are left out).</summary>
    public static PositionBias Position(IEnumerable<(ShownOrder Order, Verdict Verdict)> judgments)
    {
        var decided = judgments.Where(j => j.Verdict is Verdict.A or Verdict.B).ToList();
        var forLeft = decided.Count(j => (j.Verdict == Verdict.A) == (j.Order == ShownOrder.AB));
        var interval = Intervals.Wilson(forLeft, decided.Count);
        var share = decided.Count == 0 ? 0.5 : (double)forLeft / decided.Count;
        return new PositionBias(decided.Count, forLeft, share, interval, decided.Count > 0 && !interval.Contains(0.5));
    }

    /// <summary>Length is what DPO most easily learns instead of quality; this says how much the data invites it.</summary>
    public static LengthBias Length(IEnumerable<ChosenRejected> pairs)
    {
        var list = pairs.ToList();
        var unequal = list.Where(p => p.Chosen.Length != p.Rejected.Length).ToList();
        return new LengthBias(
            list.Count,
            unequal.Count == 0 ? 0 : (double)unequal.Count(p => p.Chosen.Length > p.Rejected.Length) / unequal.Count,
            list.Count == 0 ? 0 : list.Average(p => (double)p.Chosen.Length - p.Rejected.Length));
    }

    public static bool IsNearIdentical(string a, string b) =>
        EditDistance.Normalized(TextNormalizer.Normalize(a), TextNormalizer.Normalize(b)) < NearIdenticalDistance;
}
