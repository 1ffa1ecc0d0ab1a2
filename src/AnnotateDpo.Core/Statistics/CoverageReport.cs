using System.Collections.Concurrent;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Core.Statistics;

/// <param name="Categories">Categories with the largest SFT shortfall first (empty ones before those below target).</param>
public sealed record CoverageReport(
    WorkspaceStats Stats,
    QualityReport Quality,
    AnnotatorReport Annotators,
    ProgressStats Progress,
    IReadOnlyList<CategoryStats> Categories,
    IReadOnlyList<ReadinessCheck> Readiness,
    IReadOnlyList<Advice> Advice,
    ReadinessOptions Options);

/// <summary>What the statistics are computed from, in a few index lookups: when none of it moved, nor did they.</summary>
/// <remarks>
/// Judgments and pairs are only appended or deleted (an edit is a new row), so their largest id and count say whether
/// any changed; an SFT example's edit moves its <c>UpdatedAt</c>; categories are a small table, compared whole.
/// </remarks>
internal sealed record DataStamp(long? LastJudgment, int Judgments, long? LastPair, int Pairs, int Sft, DateTime? SftUpdated, string Categories)
{
    public static async Task<DataStamp> ReadAsync(AnnotateDbContext db, CancellationToken cancellationToken)
    {
        var categories = await db.Categories.OrderBy(c => c.Id)
            .Select(c => c.Id + ":" + c.WorkspaceId + ":" + c.Name + ":" + c.SftTarget + ":" + c.PairTarget)
            .ToListAsync(cancellationToken);
        return new(
            await db.Judgments.MaxAsync(j => (long?)j.Id, cancellationToken),
            await db.Judgments.CountAsync(cancellationToken),
            await db.PreferencePairs.MaxAsync(p => (long?)p.Id, cancellationToken),
            await db.PreferencePairs.CountAsync(cancellationToken),
            await db.SftExamples.CountAsync(cancellationToken),
            await db.SftExamples.MaxAsync(e => (DateTime?)e.UpdatedAt, cancellationToken),
            string.Join('\n', categories));
    }
}

/// <summary>
/// Everything the coverage dashboard shows, from the same services the CLI's <c>stats</c> reads. Lives in Core so that
/// <c>annotatedpo bench stats</c> times exactly what the page loads. The last report of each workspace is kept and
/// handed out again while the <see cref="DataStamp"/> of the database has not moved: at a million judgments the
/// statistics take seconds, the stamp milliseconds.
/// </summary>
public sealed class CoverageReportService(
    IDbContextFactory<AnnotateDbContext> dbFactory,
    QualityReportService quality,
    IOptions<ReadinessOptions> readinessOptions)
{
    private readonly ConcurrentDictionary<string, (DataStamp Stamp, CoverageReport Report)> _cache = new(StringComparer.Ordinal);

    public async Task<CoverageReport> GetAsync(string workspace, CancellationToken cancellationToken = default)
    {
        DataStamp stamp;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            stamp = await DataStamp.ReadAsync(db, cancellationToken);
        if (_cache.TryGetValue(workspace, out var cached) && cached.Stamp == stamp) return cached.Report;
        var report = await ComputeAsync(workspace, cancellationToken);
        _cache[workspace] = (stamp, report);
        return report;
    }

    private async Task<CoverageReport> ComputeAsync(string workspace, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var input = await StatisticsInput.LoadAsync(db, workspace, cancellationToken);
        var counts = await WorkspaceStatsService.GetAsync(db, input, cancellationToken);
        var report = await quality.GetAsync(db, input, cancellationToken);
        var byAnnotator = await AnnotatorReportService.GetAsync(db, input, cancellationToken);
        var activity = await ProgressStatsService.GetAsync(db, input.Workspace.Id, input.Folded, cancellationToken);
        var options = readinessOptions.Value;
        return new CoverageReport(counts, report, byAnnotator, activity,
            counts.Categories
                .OrderByDescending(c => c.Sft.Total == 0)
                .ThenBy(c => c.SftTarget == 0 ? 1 : (double)c.Sft.Approved / c.SftTarget)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .ToList(),
            Readiness.Evaluate(counts, report, options),
            InvestmentAdvice.Rank(counts, report, byAnnotator, options),
            options);
    }
}
