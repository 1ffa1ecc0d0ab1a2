using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Curation;

/// <summary>How a workspace is judged: how many annotators each pair needs, and the guidelines (Markdown) they follow.</summary>
public sealed record JudgingSettings(int OverlapTarget, string Guidelines)
{
    public const int MaxOverlapTarget = 20;
}

/// <summary>Reads and changes a workspace's judging settings; the pages that call it admit managers only.</summary>
public sealed class JudgingSettingsService(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    /// <exception cref="WorkspaceNotFoundException">No workspace has that name.</exception>
    public async Task<JudgingSettings> GetAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        return new JudgingSettings(found.OverlapTarget, found.Guidelines);
    }

    /// <exception cref="ArgumentOutOfRangeException">The overlap target is not between 1 and <see cref="JudgingSettings.MaxOverlapTarget"/>.</exception>
    /// <exception cref="WorkspaceNotFoundException">No workspace has that name.</exception>
    public async Task SaveAsync(string workspace, JudgingSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings.OverlapTarget is < 1 or > JudgingSettings.MaxOverlapTarget)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.OverlapTarget,
                $"OverlapTarget: judgments per pair must be between 1 and {JudgingSettings.MaxOverlapTarget}.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var id = (await WorkspaceLookup.GetAsync(db, workspace, cancellationToken)).Id;
        await db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(w => w
            .SetProperty(x => x.OverlapTarget, settings.OverlapTarget)
            .SetProperty(x => x.Guidelines, settings.Guidelines.Trim()), cancellationToken);
    }
}
