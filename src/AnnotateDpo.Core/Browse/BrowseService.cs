using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Browse;

/// <summary>
/// The browse page's model: one page of filtered, sorted SFT examples or pairs with the total (paged in SQL, so a
/// workspace of 100 000 rows costs one page), the filter menus, and any one item in full.
/// </summary>
public sealed class BrowseService(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    public const int MaxPageSize = 500;
    private const int PreviewLength = 160;

    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<BrowseFacets> FacetsAsync(string workspace, BrowseViewer viewer, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var sft = BrowseQuery.VisibleSft(db, ws, viewer);
        var pairs = db.PreferencePairs.Where(p => p.WorkspaceId == ws.Id);
        // Distinct tag sets are few even when rows are many.
        var tagSets = await sft.Select(e => EF.Property<string?>(e, SearchColumns.Tags))
            .Union(pairs.Select(p => EF.Property<string?>(p, SearchColumns.Tags))).ToListAsync(cancellationToken);
        var authors = await sft.Select(e => e.AuthorId).Union(pairs.Select(p => p.AuthorId)).ToListAsync(cancellationToken);
        return new BrowseFacets(
            ws.Categories.Select(c => c.Name).Order(StringComparer.Ordinal).ToList(),
            tagSets.SelectMany(SearchColumns.SplitTags).Distinct().Order(StringComparer.Ordinal).ToList(),
            authors.Order(StringComparer.Ordinal).ToList());
    }

    /// <exception cref="WorkspaceNotFoundException"/>
    /// <exception cref="ArgumentException">A filter names something the workspace does not have, or does not apply.</exception>
    public async Task<BrowsePage<SftRow>> ListSftAsync(
        string workspace, BrowseFilter filter, BrowseViewer viewer, int skip, int take, CancellationToken cancellationToken = default)
    {
        CheckPage(skip, take);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var query = BrowseQuery.Sft(db, ws, filter, viewer);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.Skip(skip).Take(take)
            .Select(e => new { e.Key, Category = e.Category != null ? e.Category.Name : null, e.Tags, e.AuthorId, e.Status, e.CreatedAt, e.UpdatedAt, e.Messages })
            .ToListAsync(cancellationToken);
        return new BrowsePage<SftRow>(rows.Select(r => new SftRow(
            r.Key, r.Category, r.Tags, r.AuthorId, r.Status, r.CreatedAt, r.UpdatedAt,
            Preview(r.Messages.FirstOrDefault(m => m.Role == ChatRoles.User)?.Content), r.Messages.Count(m => m.Role == ChatRoles.User))).ToList(), total);
    }

    /// <exception cref="WorkspaceNotFoundException"/>
    /// <exception cref="ArgumentException">A filter names something the workspace does not have, or does not apply.</exception>
    public async Task<BrowsePage<PairRow>> ListPairsAsync(
        string workspace, BrowseFilter filter, BrowseViewer viewer, int skip, int take, CancellationToken cancellationToken = default)
    {
        CheckPage(skip, take);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var query = BrowseQuery.Pairs(db, ws, filter, viewer);
        if (filter.Agreement is not null) await StatisticsFold.CatchUpAsync(db, cancellationToken);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.Skip(skip).Take(take)
            .Select(p => new { p.Id, p.Key, Category = p.Category != null ? p.Category.Name : null, p.Tags, p.AuthorId, p.CreatedAt, p.Prompt })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        // The page's pairs go into the grouping itself: filtering its result would group every judgment of the workspace.
        var tallies = (await PairResolutionQuery.LatestOf(db, db.Judgments.Where(j => ids.Contains(j.PairId)))
                .GroupBy(j => new { j.PairId, j.Verdict, j.IsFinal })
                .Select(g => new { g.Key.PairId, Tally = new VoteTally(g.Key.Verdict, g.Key.IsFinal, g.Count(), g.Max(j => j.Id)) })
                .ToListAsync(cancellationToken))
            .ToLookup(t => t.PairId, t => t.Tally);
        return new BrowsePage<PairRow>(rows.Select(r => new PairRow(
            r.Key, r.Category, r.Tags, r.AuthorId, r.CreatedAt, Preview(r.Prompt.LastOrDefault(m => m.Role == ChatRoles.User)?.Content),
            tallies[r.Id].Sum(t => t.Count), viewer.IsManager ? PairResolver.Resolve(tallies[r.Id]).Outcome : null)).ToList(), total);
    }

    /// <summary>The example in full; null when the workspace has none with that key or the viewer may not see it.</summary>
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<SftDetail?> GetSftAsync(string workspace, string key, BrowseViewer viewer, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var example = await BrowseQuery.VisibleSft(db, ws, viewer).Include(e => e.Category).SingleOrDefaultAsync(e => e.Key == key, cancellationToken);
        return example is null
            ? null
            : new SftDetail(example.Key, example.Category?.Name, example.Tags, example.AuthorId, example.Status, example.ReviewComment,
                example.CreatedAt, example.UpdatedAt, example.Messages);
    }

    /// <summary>
    /// The pair in full with its judgments, oldest first; for annotators only their own judgments and no outcome.
    /// Null when the workspace has no pair with that key.
    /// </summary>
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<PairDetail?> GetPairAsync(string workspace, string key, BrowseViewer viewer, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var pair = await db.PreferencePairs.AsNoTracking().Include(p => p.Category).Include(p => p.Judgments)
            .SingleOrDefaultAsync(p => p.WorkspaceId == ws.Id && p.Key == key, cancellationToken);
        if (pair is null) return null;
        var latest = PairResolver.LatestPerAnnotator(pair.Judgments).Select(j => j.Id).ToHashSet();
        var judgments = pair.Judgments.Where(j => viewer.IsManager || j.AnnotatorId == viewer.UserName).OrderBy(j => j.Id)
            .Select(j => new JudgmentView(j.AnnotatorId, j.Verdict, j.Strength, j.Rationale, j.IsFinal, latest.Contains(j.Id), j.CreatedAt))
            .ToList();
        return new PairDetail(pair.Key, pair.Category?.Name, pair.Tags, pair.AuthorId, pair.CreatedAt, pair.Prompt, pair.ResponseA, pair.ResponseB,
            viewer.IsManager ? PairResolver.Resolve(pair.Judgments).Outcome : null, judgments);
    }

    private static void CheckPage(int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        if (take is < 1 or > MaxPageSize)
            throw new ArgumentOutOfRangeException(nameof(take), take, $"take: a page holds 1 to {MaxPageSize} rows.");
    }

    private static string Preview(string? text)
    {
        var flat = (text ?? "").ReplaceLineEndings(" ").Trim();
        return flat.Length <= PreviewLength ? flat : flat[..PreviewLength] + "…";
    }
}
