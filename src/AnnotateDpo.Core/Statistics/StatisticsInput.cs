using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Statistics;

/// <summary>How many pairs of one category have responses of these origins and these tags.</summary>
public sealed record PairGroup(long? CategoryId, ResponseOrigin OriginA, ResponseOrigin OriginB, IReadOnlyList<string> Tags, int Pairs);

/// <summary>How many pairs of one category have responses of these origins and this resolution.</summary>
public sealed record OutcomeGroup(long? CategoryId, ResponseOrigin OriginA, ResponseOrigin OriginB, PairOutcome Outcome, int Pairs)
{
    public bool IsResolved => Outcome is PairOutcome.AChosen or PairOutcome.BChosen;
}

/// <summary>
/// What the counts, the quality report and the annotator report are all computed from, read once per computation
/// from the tables <see cref="StatisticsFold"/> keeps: the pairs grouped by category, origins and tags, and by category,
/// origins and resolution, and their distinct vote sets. At 100 000 pairs that is a few thousand rows, where the latest
/// judgments were a quarter million.
/// </summary>
/// <param name="Outcomes">Unjudged pairs included.</param>
/// <param name="Folded">The id of the last judgment the figures include.</param>
internal sealed record StatisticsInput(
    Workspace Workspace,
    IReadOnlyList<PairGroup> Pairs,
    IReadOnlyList<OutcomeGroup> Outcomes,
    IReadOnlyList<VoteSet> VoteSets,
    long Folded)
{
    public static async Task<StatisticsInput> LoadAsync(AnnotateDbContext db, string workspaceName, CancellationToken cancellationToken)
    {
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken);
        var folded = await StatisticsFold.CatchUpAsync(db, cancellationToken);
        // In SQLite both groupings walk an index in its order (the pairs' one is made by the migration StatisticsFold).
        var pairs = await db.PreferencePairs.Where(p => p.WorkspaceId == workspace.Id)
            .GroupBy(p => new { p.CategoryId, OriginA = p.ResponseA.Origin, OriginB = p.ResponseB.Origin, p.Tags })
            .Select(g => new { g.Key.CategoryId, g.Key.OriginA, g.Key.OriginB, g.Key.Tags, Pairs = g.Count() })
            .ToListAsync(cancellationToken);
        var judged = await db.PairVoteSummaries.Where(s => s.WorkspaceId == workspace.Id)
            .GroupBy(s => new { s.CategoryId, s.OriginA, s.OriginB, s.Outcome })
            .Select(g => new OutcomeGroup(g.Key.CategoryId, g.Key.OriginA, g.Key.OriginB, g.Key.Outcome, g.Count()))
            .ToListAsync(cancellationToken);
        // A pair without judgments has no summary: unjudged.
        var unjudged = pairs.GroupBy(p => (p.CategoryId, p.OriginA, p.OriginB))
            .Select(g => new OutcomeGroup(g.Key.CategoryId, g.Key.OriginA, g.Key.OriginB, PairOutcome.Unjudged,
                g.Sum(p => p.Pairs) - judged.Where(j => (j.CategoryId, j.OriginA, j.OriginB) == g.Key).Sum(j => j.Pairs)))
            .Where(g => g.Pairs > 0);
        var voteSets = (await db.PairVoteSummaries.Where(s => s.WorkspaceId == workspace.Id)
                .GroupBy(s => s.VoteSet).Select(g => new { g.Key, Pairs = g.Count() })
                .ToListAsync(cancellationToken))
            .Select(g => VoteSet.Decode(g.Key, g.Pairs))
            .ToList();
        return new StatisticsInput(workspace,
            pairs.Select(p => new PairGroup(p.CategoryId, p.OriginA, p.OriginB, p.Tags, p.Pairs)).ToList(),
            judged.Concat(unjudged).ToList(), voteSets, folded);
    }

    /// <summary>The vote sets of the annotators' own opinions (see <see cref="Vote.IsIndependent"/>), pairs without any left out.</summary>
    public IReadOnlyList<VoteSet> Independent { get; } = VoteSets.Select(s => s.Independent()).Where(s => s.Votes.Count > 0).ToList();

    /// <summary>
    /// Agreement of every annotator pair sharing enough items. The quality report's κ and the annotator report's
    /// table are the same numbers, and their bootstraps the dearest part of a report, so they are computed once.
    /// </summary>
    public IReadOnlyList<PairAgreement> Pairwise => LazyInitializer.EnsureInitialized(ref _pairwise,
        () => AnnotatorAgreement.Pairwise(Independent, QualityReportService.MinimumSharedItemsForKappa));

    private IReadOnlyList<PairAgreement>? _pairwise;
}
