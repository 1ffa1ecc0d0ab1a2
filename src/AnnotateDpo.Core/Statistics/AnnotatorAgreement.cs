using System.Globalization;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Statistics;

/// <summary>Raw agreement, Krippendorff's α and Cohen's κ of two annotators over the items both rated.</summary>
public sealed record PairAgreement(string First, string Second, int Items,
    AgreementEstimate PercentAgreement, AgreementEstimate KrippendorffAlpha, AgreementEstimate CohensKappa);

/// <param name="Verdicts">The annotator's latest verdicts, both-bad included.</param>
/// <param name="MajorityItems">Items where the other annotators' verdicts have a strict plurality to compare with.</param>
/// <param name="MajorityAgreement">Share of those items where the annotator agrees with that plurality; null without any.</param>
public sealed record AnnotatorProfile(string Annotator, int Verdicts, int MajorityItems, double? MajorityAgreement,
    double TieShare, double BothBadShare, PositionBias Position);

/// <param name="PositionSwap">Over every annotator's history of changed judgments, not only the latest; defaults to none.</param>
public sealed record AnnotatorReport(IReadOnlyList<PairAgreement> Pairs, IReadOnlyList<AnnotatorProfile> Annotators,
    PositionSwapConsistency? PositionSwap = null);

/// <summary>Agreement broken down by annotator pair and by annotator. Plain functions: no storage, no UI.</summary>
public static class AnnotatorAgreement
{
    /// <summary>
    /// Every annotator pair sharing at least <paramref name="minimumSharedItems"/> items; both-bad verdicts are left out,
    /// as in <see cref="QualityReportService"/>. Each estimate carries a bootstrap 95% interval over the shared items.
    /// </summary>
    public static IReadOnlyList<PairAgreement> Pairwise(IReadOnlyList<VoteSet> voteSets, int minimumSharedItems) =>
        CodedAgreement.ByAnnotatorPair(voteSets.Select(set => (
                    set.Votes.Where(v => v.Verdict != Verdict.BothBad).Select(v => (v.Annotator, (int)v.Verdict)), set.Pairs)),
                CodedAgreement.VerdictLabels)
            .Select(p => (p.Key, Table: p.Value, Items: p.Value.Sum()))
            .Where(p => p.Items >= minimumSharedItems)
            .OrderBy(p => p.Key.First, StringComparer.Ordinal).ThenBy(p => p.Key.Second, StringComparer.Ordinal)
            // Each pair's bootstrap has its own seeded draws, so computing them side by side changes no number.
            .AsParallel().AsOrdered()
            .Select(p =>
            {
                var (percent, alpha, kappa) = CodedAgreement.TwoAnnotators(p.Table, CodedAgreement.VerdictLabels);
                return new PairAgreement(p.Key.First, p.Key.Second, p.Items, percent, alpha, kappa);
            })
            .ToList();

    /// <summary>
    /// Per annotator: agreement with the strict plurality of the others (both-bad left out, as for agreement), and the
    /// shares of ties and both-bad among the annotator's own verdicts, and their position bias.
    /// </summary>
    /// <remarks>
    /// Each vote set's verdict counts are tallied once; the others' counts are then its counts less the annotator's own
    /// verdict (an annotator has one latest verdict per item), and every figure counts as many times as pairs hold the set.
    /// </remarks>
    public static IReadOnlyList<AnnotatorProfile> Profiles(IReadOnlyList<VoteSet> voteSets)
    {
        var own = new Dictionary<string, (int Count, int Compared, int Agreeing, int Ties, int BothBad, List<(ShownOrder, Verdict)> Shown)>(StringComparer.Ordinal);
        var counts = new int[VerdictCodes];
        var others = new int[VerdictCodes];
        foreach (var set in voteSets)
        {
            Array.Clear(counts);
            foreach (var v in set.Votes.Where(v => v.Verdict != Verdict.BothBad)) counts[(int)v.Verdict]++;
            foreach (var v in set.Votes)
            {
                var (count, compared, agreeing, ties, bothBad, shown) = own.GetValueOrDefault(v.Annotator, (0, 0, 0, 0, 0, []));
                var pairs = set.Pairs;
                count += pairs;
                shown.AddRange(Enumerable.Repeat((v.Order, v.Verdict), pairs));
                if (v.Verdict == Verdict.Tie) ties += pairs;
                if (v.Verdict == Verdict.BothBad) bothBad += pairs;
                else
                {
                    counts.CopyTo(others, 0);
                    others[(int)v.Verdict]--;
                    if (Plurality(others) is { } majority)
                    {
                        compared += pairs;
                        if (majority == v.Verdict) agreeing += pairs;
                    }
                }
                own[v.Annotator] = (count, compared, agreeing, ties, bothBad, shown);
            }
        }
        return own.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a =>
        {
            var (count, compared, agreeing, ties, bothBad, shown) = a.Value;
            return new AnnotatorProfile(a.Key, count, compared, compared == 0 ? null : (double)agreeing / compared,
                (double)ties / count, (double)bothBad / count, Bias.Position(shown));
        }).ToList();
    }

    private const int VerdictCodes = (int)Verdict.BothBad + 1;

    /// <summary>The verdict counted more often than any other; null when none is ahead (or nothing is counted).</summary>
    private static Verdict? Plurality(int[] counts)
    {
        int best = -1, bestCount = 0;
        var shared = false;
        for (var code = 0; code < counts.Length; code++)
        {
            if (counts[code] > bestCount) (best, bestCount, shared) = (code, counts[code], false);
            else if (counts[code] == bestCount && bestCount > 0) shared = true;
        }
        return best < 0 || shared ? null : (Verdict)best;
    }
}

/// <summary>Breaks agreement down by annotator pair and annotator, from the latest verdicts <see cref="QualityReportService"/> reads.</summary>
public sealed class AnnotatorReportService(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    public async Task<AnnotatorReport> GetAsync(string workspaceName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await GetAsync(db, await StatisticsInput.LoadAsync(db, workspaceName, cancellationToken), cancellationToken);
    }

    internal static async Task<AnnotatorReport> GetAsync(AnnotateDbContext db, StatisticsInput input, CancellationToken cancellationToken)
    {
        var swaps = await db.PositionSwapTallies.AsNoTracking().SingleOrDefaultAsync(t => t.WorkspaceId == input.Workspace.Id, cancellationToken);
        return new AnnotatorReport(
            input.Pairwise,
            AnnotatorAgreement.Profiles(input.Independent),
            PositionSwapConsistency.Of(swaps?.Repeats ?? 0, swaps?.Consistent ?? 0));
    }
}
