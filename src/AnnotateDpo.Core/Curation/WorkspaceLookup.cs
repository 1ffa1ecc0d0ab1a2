using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Curation;

public sealed class WorkspaceNotFoundException(string name, IReadOnlyList<string> known)
    : Exception(known.Count == 0
        ? $"Workspace '{name}' does not exist; the database has no workspaces yet."
        : $"Workspace '{name}' does not exist. Known workspaces: {string.Join(", ", known)}.");

public static class WorkspaceLookup
{
    public static async Task<Workspace> GetAsync(AnnotateDbContext db, string name, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.AsNoTracking().Include(w => w.Categories)
            .SingleOrDefaultAsync(w => w.Name == name, cancellationToken);
        if (workspace is not null) return workspace;
        var known = await db.Workspaces.OrderBy(w => w.Name).Select(w => w.Name).ToListAsync(cancellationToken);
        throw new WorkspaceNotFoundException(name, known);
    }
}
