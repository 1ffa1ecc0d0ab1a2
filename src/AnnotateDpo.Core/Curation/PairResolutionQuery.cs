using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Curation;

public static class PairResolutionQuery
{
    /// <summary>
    /// The resolution of every pair of a workspace. The database finds each annotator's latest judgment and tallies
    /// them, so only a few rows per pair travel.
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

    /// <summary>The same resolutions from latest judgments already loaded (the statistics summarise the pairs new judgments touched).</summary>
    public static Dictionary<long, PairResolution> Resolve(IEnumerable<long> pairIds, IEnumerable<LatestJudgment> latest)
    {
        var tallies = latest.GroupBy(j => (j.PairId, j.Verdict, j.IsFinal))
            .Select(g => (g.Key.PairId, Tally: new VoteTally(g.Key.Verdict, g.Key.IsFinal, g.Count(), g.Max(j => j.Id))))
            .ToLookup(t => t.PairId, t => t.Tally);
        return pairIds.ToDictionary(id => id, id => PairResolver.Resolve(tallies[id]));
    }

    /// <summary>
    /// The workspace's pair ids, for <c>PairIds(db, id).Contains(row.PairId)</c>: SQL's <c>PairId IN (SELECT …)</c>,
    /// which SQLite reads once into a list and walks the judgments' PairId indexes with, where an EXISTS per row probes
    /// the pairs' key for each of a million judgments (twice the time in <c>bench stats</c>).
    /// </summary>
    public static IQueryable<long> PairIds(AnnotateDbContext db, long workspaceId) =>
        db.PreferencePairs.Where(p => p.WorkspaceId == workspaceId).Select(p => p.Id);

    /// <summary>
    /// Each annotator's latest judgment on each pair of the workspace, and apart from it a manager's latest final
    /// verdict: a final is a decision, not the manager's opinion as an annotator, so it does not replace their vote.
    /// Rows are only appended, so the latest is the highest id of its (pair, annotator, final) group; the database finds
    /// it by grouping over the (PairId, AnnotatorId, IsFinal, Id) index, which reads each row once from the index alone,
    /// rather than probing the index again for every row (NOT EXISTS a later one).
    /// </summary>
    public static IQueryable<Judgment> LatestJudgments(AnnotateDbContext db, long workspaceId) =>
        LatestOf(db, db.Judgments.Where(k => PairIds(db, workspaceId).Contains(k.PairId)));

    /// <summary>The same for the pairs of any judgments, by the same rule.</summary>
    public static IQueryable<Judgment> LatestOf(AnnotateDbContext db, IQueryable<Judgment> judgments) =>
        from latestId in judgments
            .GroupBy(k => new { k.PairId, k.AnnotatorId, k.IsFinal }, k => k.Id)
            .Select(g => g.Max())
        join judgment in db.Judgments on latestId equals judgment.Id
        select judgment;
}

/// <summary>One annotator's latest judgment of one pair, as the statistics need it.</summary>
public sealed record LatestJudgment(long PairId, string AnnotatorId, Verdict Verdict, ShownOrder ShownOrder, bool IsFinal, long Id);
