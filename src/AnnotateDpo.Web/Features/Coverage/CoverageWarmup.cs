using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Web.Features.Coverage;

/// <summary>
/// Computes each workspace's dashboard once when the app starts, so that a manager's first visit finds the judgments
/// folded into the statistics' tables, the queries compiled and the report cached: at a million judgments the first
/// report of a process takes about twice as long as the next. A failure is logged; the page then computes on demand.
/// </summary>
internal sealed class CoverageWarmup(IDbContextFactory<AnnotateDbContext> dbFactory, CoverageService coverage, ILogger<CoverageWarmup> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            List<string> workspaces;
            await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
                workspaces = await db.Workspaces.Select(w => w.Name).ToListAsync(stoppingToken);
            foreach (var workspace in workspaces) await coverage.GetAsync(workspace, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Computing the coverage dashboards at startup failed; each is computed when first opened");
        }
    }
}
