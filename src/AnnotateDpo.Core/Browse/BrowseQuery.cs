using System.Linq.Expressions;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Browse;

/// <summary>
/// The filters and sort orders of the browse page as SQL, shared by the table, the detail view and the export so that
/// all three see the same rows. Every filter runs in the database; only a page of rows travels.
/// </summary>
internal static class BrowseQuery
{
    public static IQueryable<SftExample> VisibleSft(AnnotateDbContext db, Workspace workspace, BrowseViewer viewer)
    {
        var examples = db.SftExamples.AsNoTracking().Where(e => e.WorkspaceId == workspace.Id);
        return viewer.IsManager ? examples : examples.Where(e => e.Status != SftStatus.Draft || e.AuthorId == viewer.UserName);
    }

    public static IQueryable<SftExample> Sft(AnnotateDbContext db, Workspace workspace, BrowseFilter filter, BrowseViewer viewer)
    {
        if (filter.Agreement is not null) throw new ArgumentException("agreement: applies to preference pairs only, not to SFT examples.", nameof(filter));
        var examples = VisibleSft(db, workspace, viewer);
        if (CategoryId(workspace, filter.Category) is { } categoryId) examples = examples.Where(e => e.CategoryId == categoryId);
        if (Blank(filter.Tag) is { } tag) examples = examples.Where(e => EF.Property<string?>(e, SearchColumns.Tags)!.Contains(SearchColumns.TagToken(tag)));
        if (Blank(filter.Author) is { } author) examples = examples.Where(e => e.AuthorId == author);
        if (filter.Status is { } status) examples = examples.Where(e => e.Status == status);
        var (from, until) = Dates(filter);
        if (from is { } start) examples = examples.Where(e => e.CreatedAt >= start);
        if (until is { } end) examples = examples.Where(e => e.CreatedAt < end);
        if (SearchTerm(filter.Search) is { } term) examples = examples.Where(e => EF.Property<string?>(e, SearchColumns.Text)!.Contains(term));

        return filter.Sort switch
        {
            BrowseSort.Created => Order(examples, e => e.CreatedAt, filter.Descending),
            BrowseSort.Key => Order(examples, e => e.Key, filter.Descending),
            BrowseSort.Category => Order(examples, e => e.Category != null ? e.Category.Name : null, filter.Descending),
            BrowseSort.Author => Order(examples, e => e.AuthorId, filter.Descending),
            BrowseSort.Status => Order(examples, e => e.Status, filter.Descending),
            BrowseSort.Updated => Order(examples, e => e.UpdatedAt, filter.Descending),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter.Sort, "sort: valid orders are Created, Key, Category, Author, Status, Updated."),
        };
    }

    /// <remarks>An agreement filter reads the statistics' pair summaries: run <see cref="StatisticsFold.CatchUpAsync"/> before the query.</remarks>
    public static IQueryable<PreferencePair> Pairs(AnnotateDbContext db, Workspace workspace, BrowseFilter filter, BrowseViewer viewer)
    {
        if (filter.Status is not null) throw new ArgumentException("status: applies to SFT examples only, not to preference pairs.", nameof(filter));
        if (filter.Agreement is not null && !viewer.IsManager)
            throw new ArgumentException("agreement: only managers may filter by agreement; annotators judge without seeing others' verdicts.", nameof(filter));
        var pairs = db.PreferencePairs.AsNoTracking().Where(p => p.WorkspaceId == workspace.Id);
        if (CategoryId(workspace, filter.Category) is { } categoryId) pairs = pairs.Where(p => p.CategoryId == categoryId);
        if (Blank(filter.Tag) is { } tag) pairs = pairs.Where(p => EF.Property<string?>(p, SearchColumns.Tags)!.Contains(SearchColumns.TagToken(tag)));
        if (Blank(filter.Author) is { } author) pairs = pairs.Where(p => p.AuthorId == author);
        var (from, until) = Dates(filter);
        if (from is { } start) pairs = pairs.Where(p => p.CreatedAt >= start);
        if (until is { } end) pairs = pairs.Where(p => p.CreatedAt < end);
        if (SearchTerm(filter.Search) is { } term) pairs = pairs.Where(p => EF.Property<string?>(p, SearchColumns.Text)!.Contains(term));
        if (filter.Agreement is { } agreement) pairs = WithAgreement(db, workspace.Id, pairs, agreement);

        return filter.Sort switch
        {
            BrowseSort.Created => Order(pairs, p => p.CreatedAt, filter.Descending),
            BrowseSort.Key => Order(pairs, p => p.Key, filter.Descending),
            BrowseSort.Category => Order(pairs, p => p.Category != null ? p.Category.Name : null, filter.Descending),
            BrowseSort.Author => Order(pairs, p => p.AuthorId, filter.Descending),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter.Sort, "sort: pairs sort by Created, Key, Category or Author."),
        };
    }

    /// <summary>
    /// The pairs' resolutions as <see cref="StatisticsFold"/> keeps them (<see cref="PairVoteSummary"/>, one row per
    /// judged pair), which the caller brings up to date first: a final verdict decided, or the latest verdicts have a
    /// strict plurality (agreed) or not (disagreed); a pair without judgments has no row.
    /// </summary>
    private static IQueryable<PreferencePair> WithAgreement(AnnotateDbContext db, long workspaceId, IQueryable<PreferencePair> pairs, PairAgreement agreement)
    {
        var summaries = db.PairVoteSummaries.Where(s => s.WorkspaceId == workspaceId);
        if (agreement == PairAgreement.Unjudged) return pairs.Where(p => !summaries.Any(s => s.PairId == p.Id));
        var matching = agreement switch
        {
            PairAgreement.Final => summaries.Where(s => s.HasFinal),
            PairAgreement.Disagreed => summaries.Where(s => !s.HasFinal && s.Outcome == PairOutcome.Disagreement),
            _ => summaries.Where(s => !s.HasFinal && s.Outcome != PairOutcome.Disagreement),
        };
        return pairs.Where(p => matching.Select(s => s.PairId).Contains(p.Id));
    }

    /// <summary>Stable paging needs a total order, so the id breaks ties in the direction of the sort.</summary>
    private static IOrderedQueryable<T> Order<T, TKey>(IQueryable<T> rows, Expression<Func<T, TKey>> key, bool descending) where T : class
    {
        var ordered = descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
        return descending ? ordered.ThenByDescending(r => EF.Property<long>(r, "Id")) : ordered.ThenBy(r => EF.Property<long>(r, "Id"));
    }

    private static long? CategoryId(Workspace workspace, string? category)
    {
        if (Blank(category) is not { } name) return null;
        return workspace.Categories.SingleOrDefault(c => c.Name == name)?.Id
               ?? throw new ArgumentException(
                   $"category: '{name}' is not a category of workspace '{workspace.Name}'. Categories: {string.Join(", ", workspace.Categories.Select(c => c.Name).Order(StringComparer.Ordinal))}.",
                   nameof(category));
    }

    /// <summary>The first instant of <see cref="BrowseFilter.From"/> and the first instant after <see cref="BrowseFilter.To"/>, in UTC.</summary>
    private static (DateTime? From, DateTime? Until) Dates(BrowseFilter filter)
    {
        if (filter is { From: { } from, To: { } to } && from > to)
            throw new ArgumentException($"from: {from:yyyy-MM-dd} is after to: {to:yyyy-MM-dd}.", nameof(filter));
        return (filter.From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), filter.To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
    }

    private static string? SearchTerm(string? search) => Blank(search) is { } text && SearchColumns.Fold(text) is { Length: > 0 } folded ? folded : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
