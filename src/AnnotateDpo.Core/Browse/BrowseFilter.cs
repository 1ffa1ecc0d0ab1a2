using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Browse;

/// <summary>
/// Where a pair stands with its judges, in <see cref="Curation.PairResolver"/>'s terms over each annotator's latest
/// judgment: no judgment yet; a manager's final verdict decides; without one, a strict plurality of one verdict
/// (a single judgment is a plurality of one); or no strict plurality.
/// </summary>
public enum PairAgreement { Unjudged, Agreed, Disagreed, Final }

public enum BrowseSort { Created, Key, Category, Author, Status, Updated }

/// <summary>
/// The filters both tabs share. Empty strings and nulls mean "any". Dates are whole UTC days, both ends included.
/// <see cref="Search"/> matches a substring of any message or response after <see cref="Storage.SearchColumns.Fold"/>
/// (NFKC, whitespace folded, case ignored).
/// </summary>
public sealed record BrowseFilter
{
    public string? Category { get; init; }
    public string? Tag { get; init; }
    public string? Author { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public string? Search { get; init; }
    /// <summary>SFT examples only.</summary>
    public SftStatus? Status { get; init; }
    /// <summary>Pairs only; managers only (annotators' browsing must not reveal how others judged).</summary>
    public PairAgreement? Agreement { get; init; }
    public BrowseSort Sort { get; init; } = BrowseSort.Created;
    public bool Descending { get; init; } = true;
}

/// <summary>
/// Who is looking. Managers see everything. Annotators see the SFT examples of others once they are no longer drafts,
/// all pairs, but of the judgments only their own, and no agreement: judging stays independent.
/// </summary>
public sealed record BrowseViewer(string UserName, bool IsManager);

public sealed record BrowsePage<T>(IReadOnlyList<T> Items, int Total);

public sealed record SftRow(
    string Key, string? Category, IReadOnlyList<string> Tags, string Author, SftStatus Status,
    DateTime CreatedAt, DateTime UpdatedAt, string Preview, int Turns);

/// <summary>A pair in the table; <see cref="Outcome"/> is null for viewers who may not see it.</summary>
public sealed record PairRow(
    string Key, string? Category, IReadOnlyList<string> Tags, string Author, DateTime CreatedAt, string Preview,
    int Judges, Curation.PairOutcome? Outcome);

/// <summary>What the filter menus offer: the workspace's categories, tags in use and authors.</summary>
public sealed record BrowseFacets(IReadOnlyList<string> Categories, IReadOnlyList<string> Tags, IReadOnlyList<string> Authors);

public sealed record SftDetail(
    string Key, string? Category, IReadOnlyList<string> Tags, string Author, SftStatus Status, string? ReviewComment,
    DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<ChatMessage> Messages);

public sealed record JudgmentView(
    string Annotator, Verdict Verdict, VerdictStrength? Strength, string? Rationale, bool IsFinal, bool IsLatest, DateTime CreatedAt);

public sealed record PairDetail(
    string Key, string? Category, IReadOnlyList<string> Tags, string Author, DateTime CreatedAt,
    IReadOnlyList<ChatMessage> Prompt, PairResponse ResponseA, PairResponse ResponseB,
    Curation.PairOutcome? Outcome, IReadOnlyList<JudgmentView> Judgments);
