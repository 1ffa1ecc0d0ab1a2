using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// Keeps the statistics' own tables (<see cref="PairVoteSummary"/>, <see cref="JudgingDay"/>, <see cref="JudgingPace"/>,
/// <see cref="PositionSwapTally"/>) in step with the judgments, so that a report reads aggregates instead of a million
/// rows. Judgments are only appended, with rising ids: each read folds in those above the
/// <see cref="StatisticsWatermark"/>, a few rows after a few new verdicts. No write path has to remember the statistics.
/// </summary>
/// <remarks>
/// The watermark also counts the judgments folded. When the judgments at or below it no longer number that (rows
/// deleted, or, in PostgreSQL, a transaction that took a lower id committing after a later one was folded), the tables
/// are rebuilt from every judgment: slower, never wrong. Two processes folding at once (the web app and
/// <c>annotatedpo stats</c>) both claim the watermark by its old value; the second finds it moved and reads again.
/// </remarks>
internal static class StatisticsFold
{
    /// <summary>Pairs per query when re-summarising the pairs that new judgments touched.</summary>
    private const int PairBatch = 1000;

    /// <summary>Folds in every judgment not yet folded; returns the id of the last one, which the tables now hold.</summary>
    public static async Task<long> CatchUpAsync(AnnotateDbContext db, CancellationToken cancellationToken)
    {
        while (true)
        {
            // One statement, so one snapshot: the watermark, how many judgments lie at or below it, and the last id.
            var state = await db.StatisticsWatermarks.AsNoTracking().Where(w => w.Id == StatisticsWatermark.SingleId)
                .Select(w => new
                {
                    Mark = w,
                    All = db.Judgments.LongCount(),
                    Above = db.Judgments.LongCount(j => j.Id > w.JudgmentId),
                    Last = db.Judgments.Max(j => (long?)j.Id) ?? 0,
                })
                .SingleAsync(cancellationToken);
            var rebuild = state.All - state.Above != state.Mark.Judgments;
            if (!rebuild && state.Last == state.Mark.JudgmentId) return state.Last;
            if (await TryFoldAsync(db, state.Mark, state.Last, rebuild, cancellationToken)) return state.Last;
        }
    }

    private static async Task<bool> TryFoldAsync(AnnotateDbContext db, StatisticsWatermark mark, long last, bool rebuild,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.StatisticsWatermarks
            .Where(w => w.Id == StatisticsWatermark.SingleId && w.JudgmentId == mark.JudgmentId && w.Judgments == mark.Judgments)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.JudgmentId, last), cancellationToken);
        if (claimed == 0) return false;

        if (rebuild)
        {
            await db.PairVoteSummaries.ExecuteDeleteAsync(cancellationToken);
            await db.JudgingDays.ExecuteDeleteAsync(cancellationToken);
            await db.JudgingPaces.ExecuteDeleteAsync(cancellationToken);
            await db.PositionSwapTallies.ExecuteDeleteAsync(cancellationToken);
        }
        var after = rebuild ? 0 : mark.JudgmentId;
        var (folded, touchedPairs) = await FoldActivityAsync(db, after, last, cancellationToken);
        await SummarizePairsAsync(db, everyPair: after == 0, touchedPairs, cancellationToken);
        var judgments = (rebuild ? 0 : mark.Judgments) + folded;
        await db.StatisticsWatermarks.Where(w => w.Id == StatisticsWatermark.SingleId)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.Judgments, judgments), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Adds the judgments with ids in (<paramref name="after"/>, <paramref name="last"/>] to the days, paces and position
    /// swaps; returns how many there were and the pairs they judged.
    /// </summary>
    private static async Task<(long Folded, HashSet<long> Pairs)> FoldActivityAsync(AnnotateDbContext db, long after, long last,
        CancellationToken cancellationToken)
    {
        var rows =
            from j in db.Judgments.AsNoTracking()
            where j.Id > after && j.Id <= last
            join p in db.PreferencePairs on j.PairId equals p.Id
            join e in db.Judgments on j.SupersedesId equals e.Id into superseded
            from earlier in superseded.DefaultIfEmpty()
            select new
            {
                j.PairId, p.WorkspaceId, j.AnnotatorId, j.IsFinal, j.CreatedAt, j.SecondsSpent, j.Verdict, j.ShownOrder,
                EarlierAnnotator = earlier == null ? null : earlier.AnnotatorId,
                EarlierVerdict = earlier == null ? (Verdict?)null : earlier.Verdict,
                EarlierOrder = earlier == null ? (ShownOrder?)null : earlier.ShownOrder,
            };
        var days = new Dictionary<(long, string, DateOnly), int>();
        var paces = new Dictionary<(long, string, int), int>();
        var swaps = new Dictionary<long, (int Repeats, int Consistent)>();
        var pairs = new HashSet<long>();
        long folded = 0;
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            folded++;
            pairs.Add(row.PairId);
            // Progress and position swaps are the annotators' own work: imported and final verdicts stay out.
            if (row.IsFinal || row.AnnotatorId == Judgment.ImportAnnotator) continue;
            var day = (row.WorkspaceId, row.AnnotatorId, DateOnly.FromDateTime(row.CreatedAt));
            days[day] = days.GetValueOrDefault(day) + 1;
            var pace = (row.WorkspaceId, row.AnnotatorId, Progress.Bucket(row.SecondsSpent));
            paces[pace] = paces.GetValueOrDefault(pace) + 1;
            // A changed judgment shown the other way round: an annotator who follows the content keeps the verdict
            // (in A/B terms, not left/right), one who follows the position flips it. The same order says nothing.
            if (row.EarlierAnnotator == row.AnnotatorId && row.EarlierOrder != row.ShownOrder)
            {
                var (repeats, consistent) = swaps.GetValueOrDefault(row.WorkspaceId);
                swaps[row.WorkspaceId] = (repeats + 1, consistent + (row.EarlierVerdict == row.Verdict ? 1 : 0));
            }
        }
        // Counts are added to those stored, in the database: nothing is read back.
        await BulkInsert.InsertAsync(db, "JudgingDays", ["WorkspaceId", "AnnotatorId", "Day", "Judgments"],
            days.Select(d => new object?[] { d.Key.Item1, d.Key.Item2, d.Key.Item3, d.Value }), cancellationToken,
            """ON CONFLICT ("WorkspaceId", "AnnotatorId", "Day") DO UPDATE SET "Judgments" = "JudgingDays"."Judgments" + excluded."Judgments" """);
        await BulkInsert.InsertAsync(db, "JudgingPaces", ["WorkspaceId", "AnnotatorId", "Bucket", "Judgments"],
            paces.Select(p => new object?[] { p.Key.Item1, p.Key.Item2, p.Key.Item3, p.Value }), cancellationToken,
            """ON CONFLICT ("WorkspaceId", "AnnotatorId", "Bucket") DO UPDATE SET "Judgments" = "JudgingPaces"."Judgments" + excluded."Judgments" """);
        await BulkInsert.InsertAsync(db, "PositionSwapTallies", ["WorkspaceId", "Repeats", "Consistent"],
            swaps.Select(s => new object?[] { s.Key, s.Value.Repeats, s.Value.Consistent }), cancellationToken,
            """ON CONFLICT ("WorkspaceId") DO UPDATE SET "Repeats" = "PositionSwapTallies"."Repeats" + excluded."Repeats", """ +
            """ "Consistent" = "PositionSwapTallies"."Consistent" + excluded."Consistent" """);
        return (folded, pairs);
    }

    /// <summary>Writes the summary of each touched pair anew from its latest judgments (of every pair, into empty tables, when rebuilding).</summary>
    private static async Task SummarizePairsAsync(AnnotateDbContext db, bool everyPair, IReadOnlyCollection<long> touched,
        CancellationToken cancellationToken)
    {
        if (everyPair)
        {
            await WriteSummariesAsync(db, db.PreferencePairs, db.Judgments, replacing: null, cancellationToken);
            return;
        }
        foreach (var batch in touched.Chunk(PairBatch))
            await WriteSummariesAsync(db, db.PreferencePairs.Where(p => batch.Contains(p.Id)), db.Judgments.Where(j => batch.Contains(j.PairId)),
                replacing: batch, cancellationToken);
    }

    private static async Task WriteSummariesAsync(AnnotateDbContext db, IQueryable<PreferencePair> pairs, IQueryable<Judgment> judgments,
        long[]? replacing, CancellationToken cancellationToken)
    {
        var pairOf = await pairs.Select(p => new { p.Id, p.WorkspaceId, p.CategoryId, OriginA = p.ResponseA.Origin, OriginB = p.ResponseB.Origin })
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        var latest = await PairResolutionQuery.LatestOf(db, judgments)
            .Select(j => new LatestJudgment(j.PairId, j.AnnotatorId, j.Verdict, j.ShownOrder, j.IsFinal, j.Id))
            .ToListAsync(cancellationToken);
        var resolutions = PairResolutionQuery.Resolve(latest.Select(j => j.PairId).Distinct(), latest);
        var summaries = latest.GroupBy(j => j.PairId).Select(g =>
        {
            var pair = pairOf[g.Key];
            return new object?[]
            {
                g.Key, pair.WorkspaceId, pair.CategoryId, pair.OriginA.ToString(), pair.OriginB.ToString(),
                resolutions[g.Key].Outcome.ToString(), g.Any(j => j.IsFinal),
                VoteSet.Encode(g.Select(j => new Vote(j.AnnotatorId, j.Verdict, j.ShownOrder, j.IsFinal))),
            };
        }).ToList();
        if (replacing is not null) await db.PairVoteSummaries.Where(s => replacing.Contains(s.PairId)).ExecuteDeleteAsync(cancellationToken);
        await BulkInsert.InsertAsync(db, "PairVoteSummaries", ["PairId", "WorkspaceId", "CategoryId", "OriginA", "OriginB", "Outcome", "HasFinal", "VoteSet"], summaries, cancellationToken);
    }
}
