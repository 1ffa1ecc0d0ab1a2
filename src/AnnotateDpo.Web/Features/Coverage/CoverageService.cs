using System.Diagnostics;
using AnnotateDpo.Core.Statistics;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Web.Features.Coverage;

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

/// <summary>Everything the coverage dashboard shows, from the same services the CLI's <c>stats</c> reads.</summary>
public sealed class CoverageService(
    WorkspaceStatsService stats,
    QualityReportService quality,
    AnnotatorReportService annotators,
    ProgressStatsService progress,
    IOptions<ReadinessOptions> readinessOptions,
    ILogger<CoverageService> logger)
{
    public async Task<CoverageReport> GetAsync(string workspace, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var counts = await stats.GetAsync(workspace, cancellationToken);
        var report = await quality.GetAsync(workspace, cancellationToken);
        var byAnnotator = await annotators.GetAsync(workspace, cancellationToken);
        var activity = await progress.GetAsync(workspace, cancellationToken);
        var options = readinessOptions.Value;
        logger.LogInformation("Coverage of {Workspace} computed in {Milliseconds:F0} ms", workspace, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
