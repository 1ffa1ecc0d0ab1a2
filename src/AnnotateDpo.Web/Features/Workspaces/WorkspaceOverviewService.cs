using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Web.Features.Workspaces;

/// <summary>The workspaces and their headline counts, for the start page.</summary>
public sealed class WorkspaceOverviewService(IDbContextFactory<AnnotateDbContext> dbFactory, WorkspaceStatsService stats)
{
    public async Task<IReadOnlyList<WorkspaceStats>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.Workspaces.OrderBy(w => w.Name).Select(w => w.Name).ToListAsync(cancellationToken);
        var result = new List<WorkspaceStats>(names.Count);
        foreach (var name in names)
            result.Add(await stats.GetAsync(name, cancellationToken));
        return result;
    }
}
