using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Statistics;

public sealed record DailyJudgments(DateOnly Day, string Annotator, int Count);

/// <param name="MedianSeconds">Median time spent per judgment; null without judgments.</param>
public sealed record AnnotatorPace(string Annotator, int Judgments, double? MedianSeconds);

/// <param name="PerDay">Annotators' judgments (every row, changed verdicts included; imported and final verdicts left out) per UTC day and annotator, by day then annotator.</param>
public sealed record ProgressStats(IReadOnlyList<DailyJudgments> PerDay, IReadOnlyList<AnnotatorPace> Annotators, double? MedianSeconds);

/// <summary>One judgment as progress sees it: who, when, and how long it took.</summary>
public sealed record JudgmentActivity(string Annotator, DateTime CreatedAt, double SecondsSpent);

public static class Progress
{
    public static ProgressStats Summarize(IReadOnlyList<JudgmentActivity> judgments)
    {
        var perDay = judgments
            .GroupBy(j => (Day: DateOnly.FromDateTime(j.CreatedAt), j.Annotator))
            .Select(g => new DailyJudgments(g.Key.Day, g.Key.Annotator, g.Count()))
            .OrderBy(d => d.Day).ThenBy(d => d.Annotator, StringComparer.Ordinal)
            .ToList();
        var annotators = judgments.GroupBy(j => j.Annotator).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AnnotatorPace(g.Key, g.Count(), Median(g.Select(j => j.SecondsSpent))))
            .ToList();
        return new ProgressStats(perDay, annotators, Median(judgments.Select(j => j.SecondsSpent)));
    }

    /// <summary>The middle value, or the mean of the two middle values; null for no values.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>Annotators' judging activity: only who, when and how long travel from the database.</summary>
public sealed class ProgressStatsService(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    public async Task<ProgressStats> GetAsync(string workspaceName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken);
        var activity = await db.Judgments
            .Where(j => j.AnnotatorId != Judgment.ImportAnnotator && !j.IsFinal
                        && db.PreferencePairs.Any(p => p.Id == j.PairId && p.WorkspaceId == workspace.Id))
            .Select(j => new JudgmentActivity(j.AnnotatorId, j.CreatedAt, j.SecondsSpent))
            .ToListAsync(cancellationToken);
        return Progress.Summarize(activity);
    }
}
