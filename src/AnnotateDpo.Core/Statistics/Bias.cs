using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Statistics;

/// <param name="LeftShare">Share of A/B verdicts that went to the response shown on the left.</param>
/// <param name="Flagged">True when 50% lies outside the 95% Wilson interval of that share.</param>
public sealed record PositionBias(int Verdicts, int ForLeft, double LeftShare, Interval Interval, bool Flagged);

/// <param name="LongerChosenShare">Share of pairs of unequal length whose chosen response is the longer one.</param>
/// <param name="MeanLengthDifference">Mean of length(chosen) − length(rejected), in characters.</param>
/// <param name="MeanTokenDifference">The same in tokens of the registered <see cref="ITokenCounter"/>; null without one.</param>
public sealed record LengthBias(int Pairs, double LongerChosenShare, double MeanLengthDifference, double? MeanTokenDifference = null);

/// <param name="Repeats">Times an annotator judged a pair again with the responses shown the other way round.</param>
/// <param name="Consistent">Those whose verdict, in A/B terms (not left/right), stayed the same.</param>
/// <param name="Share">Consistent / Repeats; null without repeats.</param>
public sealed record PositionSwapConsistency(int Repeats, int Consistent, double? Share)
{
    public static readonly PositionSwapConsistency None = new(0, 0, null);

    public static PositionSwapConsistency Of(int repeats, int consistent) =>
        new(repeats, consistent, repeats == 0 ? null : (double)consistent / repeats);
}

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

    /// <summary>
    /// Length is what DPO most easily learns instead of quality; this says how much the data invites it. From counts
    /// the database sums up: pairs, those of unequal length, those whose chosen response is longer, and the summed
    /// difference chosen − rejected.
    /// </summary>
    public static LengthBias Length(int pairs, int unequal, int longerChosen, double difference) =>
        new(pairs, unequal == 0 ? 0 : (double)longerChosen / unequal, pairs == 0 ? 0 : difference / pairs);

    public static bool IsNearIdentical(string a, string b) => EditDistanceUnlessLengthsDiffer(a, b) < NearIdenticalDistance;

    /// <summary>
    /// The normalised edit distance of the two texts after <see cref="TextNormalizer"/>, or null when their lengths
    /// differ by at least <see cref="NearIdenticalDistance"/> of the longer one: the distance is at least the difference
    /// in length, so such texts are told apart without the quadratic distance.
    /// </summary>
    public static double? EditDistanceUnlessLengthsDiffer(string a, string b)
    {
        var (left, right) = (TextNormalizer.Normalize(a), TextNormalizer.Normalize(b));
        var longer = Math.Max(left.Length, right.Length);
        if (Math.Abs(left.Length - right.Length) >= NearIdenticalDistance * longer && longer > 0) return null;
        return EditDistance.Normalized(left, right);
    }
}
