using System.Linq.Expressions;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
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
    /// <see cref="PairResolver.Resolve(IEnumerable{VoteTally})"/> in SQL, over the same latest judgments
    /// (<see cref="PairResolutionQuery.LatestJudgments"/>): a final among them decides; otherwise the verdict counts have a
    /// strict plurality (agreed) or not (disagreed). The counts come from one grouped pass over the workspace's judgments.
    /// </summary>
    private static IQueryable<PreferencePair> WithAgreement(AnnotateDbContext db, long workspaceId, IQueryable<PreferencePair> pairs, PairAgreement agreement)
    {
        var latest = PairResolutionQuery.LatestJudgments(db, workspaceId);
        if (agreement == PairAgreement.Unjudged) return pairs.Where(p => !db.Judgments.Any(j => j.PairId == p.Id));
        if (agreement == PairAgreement.Final) return pairs.Where(p => latest.Any(j => j.PairId == p.Id && j.IsFinal));

        var counts = latest.GroupBy(j => j.PairId).Select(g => new VerdictCounts
        {
            PairId = g.Key,
            A = g.Count(j => j.Verdict == Verdict.A),
            B = g.Count(j => j.Verdict == Verdict.B),
            Tie = g.Count(j => j.Verdict == Verdict.Tie),
            BothBad = g.Count(j => j.Verdict == Verdict.BothBad),
            Finals = g.Count(j => j.IsFinal),
        }).Where(c => c.Finals == 0);
        counts = counts.Where(agreement == PairAgreement.Disagreed ? NoStrictPlurality : Negate(NoStrictPlurality));
        // An uncorrelated IN: the database groups the judgments once, where a correlated EXISTS would group them per pair.
        var matching = counts.Select(c => c.PairId);
        return pairs.Where(p => matching.Contains(p.Id));
    }

    /// <summary>Two verdicts share the highest count (above zero, as every counted pair has a vote).</summary>
    private static readonly Expression<Func<VerdictCounts, bool>> NoStrictPlurality = c =>
        (c.A == c.B && c.A >= c.Tie && c.A >= c.BothBad) || (c.A == c.Tie && c.A >= c.B && c.A >= c.BothBad)
        || (c.A == c.BothBad && c.A >= c.B && c.A >= c.Tie) || (c.B == c.Tie && c.B >= c.A && c.B >= c.BothBad)
        || (c.B == c.BothBad && c.B >= c.A && c.B >= c.Tie) || (c.Tie == c.BothBad && c.Tie >= c.A && c.Tie >= c.B);

    private static Expression<Func<T, bool>> Negate<T>(Expression<Func<T, bool>> predicate) =>
        Expression.Lambda<Func<T, bool>>(Expression.Not(predicate.Body), predicate.Parameters);

    private sealed class VerdictCounts
    {
        public long PairId { get; init; }
        public int A { get; init; }
        public int B { get; init; }
        public int Tie { get; init; }
        public int BothBad { get; init; }
        public int Finals { get; init; }
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
