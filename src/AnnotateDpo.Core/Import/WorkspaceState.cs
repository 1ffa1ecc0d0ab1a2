using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Import;

/// <summary>What an import needs to know of the target workspace, loaded once: categories, keys and content hashes.</summary>
internal sealed class WorkspaceState
{
    public Workspace? Workspace { get; private init; }
    public Dictionary<string, long> CategoryIds { get; private init; } = new(StringComparer.Ordinal);
    public KeyIndex Sft { get; private init; } = new();
    public KeyIndex Pairs { get; private init; } = new();

    public static async Task<WorkspaceState> LoadAsync(AnnotateDbContext db, string workspaceName, CancellationToken ct)
    {
        var workspace = await db.Workspaces.AsNoTracking().Include(w => w.Categories)
            .SingleOrDefaultAsync(w => w.Name == workspaceName, ct);
        if (workspace is null) return new WorkspaceState();

        var sft = await db.SftExamples.Where(e => e.WorkspaceId == workspace.Id)
            .Select(e => new { e.Key, e.ContentHash }).ToListAsync(ct);
        var pairs = await db.PreferencePairs.Where(p => p.WorkspaceId == workspace.Id)
            .Select(p => new { p.Key, p.ContentHash }).ToListAsync(ct);
        return new WorkspaceState
        {
            Workspace = workspace,
            CategoryIds = workspace.Categories.ToDictionary(c => c.Name, c => c.Id, StringComparer.Ordinal),
            Sft = new KeyIndex(sft.Select(e => (e.Key, e.ContentHash))),
            Pairs = new KeyIndex(pairs.Select(p => (p.Key, p.ContentHash))),
        };
    }
}

/// <summary>
/// The keys in use and, per content hash, the key of the first row with that content. An import adds its own
/// rows as it plans them, so that a row is also checked against the rows before it.
/// </summary>
internal sealed class KeyIndex
{
    public KeyIndex()
    {
    }

    public KeyIndex(IEnumerable<(string Key, string Hash)> rows)
    {
        foreach (var (key, hash) in rows) Add(key, hash);
    }

    public void Add(string key, string hash)
    {
        Keys.Add(key);
        KeyByHash.TryAdd(hash, key);
    }

    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> KeyByHash { get; } = new(StringComparer.Ordinal);
}
