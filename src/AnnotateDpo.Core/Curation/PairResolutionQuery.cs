using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Curation;

public static class PairResolutionQuery
{
    /// <summary>
    /// The resolution of every pair of a workspace. The database finds each annotator's latest judgment
    /// (over the (PairId, AnnotatorId, Id) index) and tallies them, so only a few rows per pair travel.
    /// </summary>
    public static async Task<Dictionary<long, PairResolution>> ResolveWorkspaceAsync(
        AnnotateDbContext db, long workspaceId, CancellationToken cancellationToken)
    {
        var pairIds = await db.PreferencePairs.Where(p => p.WorkspaceId == workspaceId)
            .Select(p => p.Id).ToListAsync(cancellationToken);
        var tallies = (await LatestJudgments(db, workspaceId)
                .GroupBy(j => new { j.PairId, j.Verdict, j.IsFinal })
                .Select(g => new { g.Key.PairId, Tally = new VoteTally(g.Key.Verdict, g.Key.IsFinal, g.Count(), g.Max(j => j.Id)) })
                .ToListAsync(cancellationToken))
            .ToLookup(t => t.PairId, t => t.Tally);
        return pairIds.ToDictionary(id => id, id => PairResolver.Resolve(tallies[id]));
    }

    /// <summary>
    /// Each annotator's latest verdict, leaving out imported and final ones: those are not annotators' independent
    /// opinions, so they take no part in agreement or bias.
    /// </summary>
    public static IQueryable<IndependentVerdict> LatestIndependentVerdicts(AnnotateDbContext db, long workspaceId) =>
        LatestJudgments(db, workspaceId)
            .Where(j => !j.IsFinal && j.AnnotatorId != Judgment.ImportAnnotator)
            .Select(j => new IndependentVerdict(j.PairId, j.AnnotatorId, j.Verdict, j.ShownOrder));

    /// <summary>
    /// Each annotator's latest judgment on each pair of the workspace, and apart from it a manager's latest final
    /// verdict: a final is a decision, not the manager's opinion as an annotator, so it does not replace their vote.
    /// </summary>
    public static IQueryable<Judgment> LatestJudgments(AnnotateDbContext db, long workspaceId) =>
        db.Judgments
            .Where(j => db.PreferencePairs.Any(p => p.Id == j.PairId && p.WorkspaceId == workspaceId))
            .Where(j => !db.Judgments.Any(k => k.PairId == j.PairId && k.AnnotatorId == j.AnnotatorId && k.IsFinal == j.IsFinal && k.Id > j.Id));
}

public sealed record IndependentVerdict(long PairId, string AnnotatorId, Verdict Verdict, ShownOrder ShownOrder);
