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

/// <summary>How many of one annotator's judgments took a time in one <see cref="Progress.Bucket"/>.</summary>
public sealed record PaceBucket(string Annotator, int Bucket, int Count);

/// <summary>The exact time spent on one judgment, with its <see cref="Progress.Bucket"/>.</summary>
public sealed record TimeSpent(string Annotator, int Bucket, double Seconds);

/// <summary>
/// Progress from counts: per annotator and day, and per annotator and tenth of a second spent, so a million judgments
/// arrive as a few thousand rows. A median needs exact values only in the one or two buckets that hold its middle
/// rank, which <see cref="MiddleBuckets"/> names and the caller fetches. Plain functions: no storage, no UI.
/// </summary>
public static class Progress
{
    /// <summary>The histogram bucket of a time spent: its tenths of a second, rounded down.</summary>
    public static int Bucket(double seconds) => (int)Math.Floor(seconds * 10);

    /// <summary>The buckets holding the middle ranks of each annotator's times and of all times together.</summary>
    public static IReadOnlySet<int> MiddleBuckets(IReadOnlyList<PaceBucket> pace) =>
        pace.GroupBy(b => b.Annotator).Select(g => g.ToList()).Append(pace.ToList())
            .SelectMany(group => MiddleRanks(group.Sum(b => b.Count)).Select(rank => Locate(Histogram(group), rank).Bucket))
            .ToHashSet();

    /// <param name="middleTimes">The exact times of (at least) every judgment in the buckets <see cref="MiddleBuckets"/> names.</param>
    public static ProgressStats Summarize(IEnumerable<DailyJudgments> perDay, IReadOnlyList<PaceBucket> pace, IReadOnlyList<TimeSpent> middleTimes)
    {
        var annotators = pace.GroupBy(b => b.Annotator).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AnnotatorPace(g.Key, g.Sum(b => b.Count), Median(g.ToList(), middleTimes.Where(t => t.Annotator == g.Key))))
            .ToList();
        return new ProgressStats(perDay.OrderBy(d => d.Day).ThenBy(d => d.Annotator, StringComparer.Ordinal).ToList(),
            annotators, Median(pace, middleTimes));
    }

    /// <summary>The middle value, or the mean of the two middle values; null for no values.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The median of the times counted by <paramref name="pace"/>, reading exact values only in its middle buckets.</summary>
    private static double? Median(IReadOnlyList<PaceBucket> pace, IEnumerable<TimeSpent> times)
    {
        var count = pace.Sum(b => b.Count);
        if (count == 0) return null;
        var histogram = Histogram(pace);
        var byBucket = times.GroupBy(t => t.Bucket).ToDictionary(g => g.Key, g => g.Select(t => t.Seconds).Order().ToList());
        var middle = MiddleRanks(count).Select(rank =>
        {
            var (bucket, offset) = Locate(histogram, rank);
            return byBucket.TryGetValue(bucket, out var values) && offset < values.Count
                ? values[offset]
                : throw new ArgumentException($"The exact times of bucket {bucket} are missing.", nameof(times));
        }).ToList();
        return middle.Average();
    }

    /// <summary>The 0-based rank of the middle value, or of the two middle values for an even count.</summary>
    private static int[] MiddleRanks(int count) => count == 0 ? [] : count % 2 == 1 ? [count / 2] : [count / 2 - 1, count / 2];

    private static List<(int Bucket, int Count)> Histogram(IEnumerable<PaceBucket> pace) =>
        pace.GroupBy(b => b.Bucket).Select(g => (Bucket: g.Key, Count: g.Sum(b => b.Count))).OrderBy(b => b.Bucket).ToList();

    /// <summary>The bucket holding the value of a rank, and the rank within the bucket.</summary>
    private static (int Bucket, int Offset) Locate(List<(int Bucket, int Count)> histogram, int rank)
    {
        foreach (var (bucket, count) in histogram)
        {
            if (rank < count) return (bucket, rank);
            rank -= count;
        }
        throw new ArgumentOutOfRangeException(nameof(rank), rank, "The rank lies beyond the histogram.");
    }
}

/// <summary>Annotators' judging activity from the counts <see cref="StatisticsFold"/> keeps; only the times around the medians travel.</summary>
public sealed class ProgressStatsService(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    public async Task<ProgressStats> GetAsync(string workspaceName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken);
        var folded = await StatisticsFold.CatchUpAsync(db, cancellationToken);
        return await GetAsync(db, workspace.Id, folded, cancellationToken);
    }

    /// <param name="folded">The judgment id the counts are folded up to (<see cref="StatisticsFold.CatchUpAsync"/>).</param>
    internal static async Task<ProgressStats> GetAsync(AnnotateDbContext db, long workspaceId, long folded, CancellationToken cancellationToken)
    {
        var perDay = await db.JudgingDays.Where(d => d.WorkspaceId == workspaceId)
            .Select(d => new DailyJudgments(d.Day, d.AnnotatorId, d.Judgments)).ToListAsync(cancellationToken);
        var pace = await db.JudgingPaces.Where(p => p.WorkspaceId == workspaceId)
            .Select(p => new PaceBucket(p.AnnotatorId, p.Bucket, p.Judgments)).ToListAsync(cancellationToken);
        var times = new List<TimeSpent>();
        foreach (var bucket in Progress.MiddleBuckets(pace))
        {
            // A tenth either side: the database's comparison of a time with a bucket's edge may round otherwise than
            // Bucket does, and Bucket alone decides which of the rows read belong.
            double low = (bucket - 1) / 10.0, high = (bucket + 2) / 10.0;
            // The pair's workspace as a lookup per row, so that the database starts from the SecondsSpent index rather
            // than from the workspace's pairs; judgments not folded yet are left out by id, outside the query for the same reason.
            var rows = await db.Judgments
                .Where(j => j.SecondsSpent >= low && j.SecondsSpent < high && j.AnnotatorId != Judgment.ImportAnnotator && !j.IsFinal
                            && db.PreferencePairs.Where(p => p.Id == j.PairId).Select(p => p.WorkspaceId).First() == workspaceId)
                .Select(j => new { j.Id, j.AnnotatorId, j.SecondsSpent })
                .ToListAsync(cancellationToken);
            times.AddRange(rows.Where(r => r.Id <= folded && Progress.Bucket(r.SecondsSpent) == bucket)
                .Select(r => new TimeSpent(r.AnnotatorId, bucket, r.SecondsSpent)));
        }
        return Progress.Summarize(perDay, pace, times);
    }
}
