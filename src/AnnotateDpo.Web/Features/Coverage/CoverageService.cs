using System.Diagnostics;
using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Web.Features.Coverage;

/// <summary>The dashboard's model: Core's <see cref="CoverageReportService"/>, timed in the log.</summary>
public sealed class CoverageService(CoverageReportService coverage, ILogger<CoverageService> logger)
{
    public async Task<CoverageReport> GetAsync(string workspace, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var report = await coverage.GetAsync(workspace, cancellationToken);
        logger.LogInformation("Coverage of {Workspace} computed in {Milliseconds:F0} ms", workspace, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }
}
