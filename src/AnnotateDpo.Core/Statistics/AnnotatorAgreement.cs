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

/// <summary>One annotator's latest verdict on one pair, with the order it was shown in.</summary>
public sealed record AnnotatorVerdict(string Item, string Annotator, Verdict Verdict, ShownOrder Order);

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
    public static IReadOnlyList<PairAgreement> Pairwise(IReadOnlyList<AnnotatorVerdict> verdicts, int minimumSharedItems) =>
        CodedAgreement.ByAnnotatorPair(verdicts.Where(v => v.Verdict != Verdict.BothBad)
                .GroupBy(v => v.Item, StringComparer.Ordinal)
                .Select(item => item.Select(v => (v.Annotator, (int)v.Verdict))))
            .Where(p => p.Value.First.Count >= minimumSharedItems)
            .OrderBy(p => p.Key.First, StringComparer.Ordinal).ThenBy(p => p.Key.Second, StringComparer.Ordinal)
            // Each pair's bootstrap has its own seeded draws, so computing them side by side changes no number.
            .AsParallel().AsOrdered()
            .Select(p =>
            {
                var (percent, alpha, kappa) = CodedAgreement.TwoAnnotators(p.Value.First, p.Value.Second, CodedAgreement.VerdictLabels);
                return new PairAgreement(p.Key.First, p.Key.Second, p.Value.First.Count, percent, alpha, kappa);
            })
            .ToList();

    /// <summary>
    /// Per annotator: agreement with the strict plurality of the others (both-bad left out, as for agreement), and the
    /// shares of ties and both-bad among the annotator's own verdicts, and their position bias.
    /// </summary>
    /// <remarks>
    /// Each item's verdict counts are tallied once; the others' counts on an item are then its counts less the
    /// annotator's own verdict (an annotator has one latest verdict per item), so no item is grouped again per verdict.
    /// </remarks>
    public static IReadOnlyList<AnnotatorProfile> Profiles(IReadOnlyList<AnnotatorVerdict> verdicts)
    {
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var v in verdicts.Where(v => v.Verdict != Verdict.BothBad))
        {
            if (!counts.TryGetValue(v.Item, out var tally)) counts[v.Item] = tally = new int[VerdictCodes];
            tally[(int)v.Verdict]++;
        }
        var others = new int[VerdictCodes];
        return verdicts.GroupBy(v => v.Annotator).OrderBy(g => g.Key, StringComparer.Ordinal).Select(own =>
        {
            int compared = 0, agreeing = 0, count = 0, ties = 0, bothBad = 0;
            foreach (var v in own)
            {
                count++;
                if (v.Verdict == Verdict.Tie) ties++;
                if (v.Verdict == Verdict.BothBad)
                {
                    bothBad++;
                    continue;
                }
                counts[v.Item].CopyTo(others, 0);
                others[(int)v.Verdict]--;
                if (Plurality(others) is not { } majority) continue;
                compared++;
                if (majority == v.Verdict) agreeing++;
            }
            return new AnnotatorProfile(own.Key, count, compared, compared == 0 ? null : (double)agreeing / compared,
                (double)ties / count, (double)bothBad / count, Bias.Position(own.Select(v => (v.Order, v.Verdict))));
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
        var workspace = input.Workspace;
        // A changed judgment names the one it supersedes: the database pairs them up, keeps the repeats whose shown order
        // flipped (the same order says nothing about position) and counts them, and those whose verdict (in A/B terms,
        // not left/right) stayed: an annotator who follows the content keeps it, one who follows the position flips it.
        var flipped =
            from later in db.Judgments
            where later.SupersedesId != null && !later.IsFinal && later.AnnotatorId != Judgment.ImportAnnotator
                  && PairResolutionQuery.PairIds(db, workspace.Id).Contains(later.PairId)
            join earlier in db.Judgments on later.SupersedesId equals earlier.Id
            where earlier.AnnotatorId == later.AnnotatorId && earlier.ShownOrder != later.ShownOrder
            select new { Kept = earlier.Verdict == later.Verdict };
        // Both counts in one pass over the judgments.
        var swaps = await flipped.GroupBy(_ => 1)
            .Select(g => new { Repeats = g.Count(), Consistent = g.Count(r => r.Kept) })
            .SingleOrDefaultAsync(cancellationToken);
        return new AnnotatorReport(
            input.Pairwise,
            AnnotatorAgreement.Profiles(input.Verdicts),
            PositionSwapConsistency.Of(swaps?.Repeats ?? 0, swaps?.Consistent ?? 0));
    }
}
