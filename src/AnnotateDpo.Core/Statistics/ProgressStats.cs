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

/// <summary>How many judgments one annotator made on one UTC day whose time spent falls in one whole-second bucket.</summary>
/// <param name="Second">The bucket as the database computes it (a monotonic rounding of the seconds to an integer).</param>
public sealed record ProgressCell(string Annotator, DateOnly Day, int Second, int Count);

/// <summary>The exact time spent on one judgment, with the bucket the database put it in.</summary>
public sealed record TimeSpent(string Annotator, int Second, double Seconds);

/// <summary>
/// Progress from counts: the database tallies judgments per annotator, day and second spent, so a million judgments
/// arrive as a few thousand cells. A median needs exact values only in the one or two buckets that hold its middle
/// rank, which <see cref="MiddleSeconds"/> names and the caller fetches. Plain functions: no storage, no UI.
/// </summary>
public static class Progress
{
    /// <summary>The buckets holding the middle ranks of each annotator's times and of all times together.</summary>
    public static IReadOnlySet<int> MiddleSeconds(IReadOnlyList<ProgressCell> cells) =>
        cells.GroupBy(c => c.Annotator).Select(g => g.ToList()).Append(cells.ToList())
            .SelectMany(group => MiddleRanks(group.Sum(c => c.Count)).Select(rank => Locate(Histogram(group), rank).Second))
            .ToHashSet();

    /// <param name="middleTimes">The exact times of (at least) every judgment in the buckets <see cref="MiddleSeconds"/> names.</param>
    public static ProgressStats Summarize(IReadOnlyList<ProgressCell> cells, IReadOnlyList<TimeSpent> middleTimes)
    {
        var perDay = cells
            .GroupBy(c => (c.Day, c.Annotator))
            .Select(g => new DailyJudgments(g.Key.Day, g.Key.Annotator, g.Sum(c => c.Count)))
            .OrderBy(d => d.Day).ThenBy(d => d.Annotator, StringComparer.Ordinal)
            .ToList();
        var annotators = cells.GroupBy(c => c.Annotator).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AnnotatorPace(g.Key, g.Sum(c => c.Count), Median(g.ToList(), middleTimes.Where(t => t.Annotator == g.Key))))
            .ToList();
        return new ProgressStats(perDay, annotators, Median(cells, middleTimes));
    }

    /// <summary>The middle value, or the mean of the two middle values; null for no values.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The median of the times counted by <paramref name="cells"/>, reading exact values only in its middle buckets.</summary>
    private static double? Median(IReadOnlyList<ProgressCell> cells, IEnumerable<TimeSpent> times)
    {
        var count = cells.Sum(c => c.Count);
        if (count == 0) return null;
        var histogram = Histogram(cells);
        var bySecond = times.GroupBy(t => t.Second).ToDictionary(g => g.Key, g => g.Select(t => t.Seconds).Order().ToList());
        var middle = MiddleRanks(count).Select(rank =>
        {
            var (second, offset) = Locate(histogram, rank);
            return bySecond.TryGetValue(second, out var values) && offset < values.Count
                ? values[offset]
                : throw new ArgumentException($"The exact times of bucket {second} are missing.", nameof(times));
        }).ToList();
        return middle.Average();
    }

    /// <summary>The 0-based rank of the middle value, or of the two middle values for an even count.</summary>
    private static int[] MiddleRanks(int count) => count == 0 ? [] : count % 2 == 1 ? [count / 2] : [count / 2 - 1, count / 2];

    private static List<(int Second, int Count)> Histogram(IEnumerable<ProgressCell> cells) =>
        cells.GroupBy(c => c.Second).Select(g => (Second: g.Key, Count: g.Sum(c => c.Count))).OrderBy(b => b.Second).ToList();

    /// <summary>The bucket holding the value of a rank, and the rank within the bucket.</summary>
    private static (int Second, int Offset) Locate(List<(int Second, int Count)> histogram, int rank)
    {
        foreach (var (second, count) in histogram)
        {
            if (rank < count) return (second, rank);
            rank -= count;
        }
        throw new ArgumentOutOfRangeException(nameof(rank), rank, "The rank lies beyond the histogram.");
    }
}

/// <summary>Annotators' judging activity: the database counts, and only the times around the medians travel.</summary>
public sealed class ProgressStatsService(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    public async Task<ProgressStats> GetAsync(string workspaceName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken);
        return await GetAsync(db, workspace.Id, cancellationToken);
    }

    internal static async Task<ProgressStats> GetAsync(AnnotateDbContext db, long workspaceId, CancellationToken cancellationToken)
    {
        var judgments = db.Judgments.Where(j => j.AnnotatorId != Judgment.ImportAnnotator && !j.IsFinal
                                                && PairResolutionQuery.PairIds(db, workspaceId).Contains(j.PairId));
        // The day as (year, day of the year): SQLite takes each from one strftime, where DateTime.Date is a strftime
        // and two rtrims, a third of the query's time at a million judgments.
        var cells = (await judgments
                .GroupBy(j => new { j.AnnotatorId, j.CreatedAt.Year, j.CreatedAt.DayOfYear, Second = (int)j.SecondsSpent })
                .Select(g => new { g.Key.AnnotatorId, g.Key.Year, g.Key.DayOfYear, g.Key.Second, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .Select(c => new ProgressCell(c.AnnotatorId, new DateOnly(c.Year, 1, 1).AddDays(c.DayOfYear - 1), c.Second, c.Count))
            .ToList();
        var middle = Progress.MiddleSeconds(cells).ToList();
        var times = await judgments.Where(j => middle.Contains((int)j.SecondsSpent))
            .Select(j => new TimeSpent(j.AnnotatorId, (int)j.SecondsSpent, j.SecondsSpent))
            .ToListAsync(cancellationToken);
        return Progress.Summarize(cells, times);
    }
}
