using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Statistics;

public sealed record SftCounts(int Draft, int Submitted, int Approved, int Rejected)
{
    public static readonly SftCounts Zero = new(0, 0, 0, 0);
    public int Total => Draft + Submitted + Approved + Rejected;
    public SftCounts Add(SftCounts other) =>
        new(Draft + other.Draft, Submitted + other.Submitted, Approved + other.Approved, Rejected + other.Rejected);
}

public sealed record PairCounts(int Total, int Resolved, int Ties, int BothBad, int Disagreements, int Unjudged)
{
    public static readonly PairCounts Zero = new(0, 0, 0, 0, 0, 0);
    public PairCounts Add(PairCounts other) => new(Total + other.Total, Resolved + other.Resolved, Ties + other.Ties,
        BothBad + other.BothBad, Disagreements + other.Disagreements, Unjudged + other.Unjudged);
}

/// <param name="Name">The category, or null for rows without one.</param>
/// <param name="Origins">Its pairs by where their responses came from: written by people, sampled from a model (on-policy), or mixed; defaults to none counted.</param>
/// <param name="ResolvedOrigins">The same for its resolved pairs, those that reach a snapshot; defaults to none counted.</param>
public sealed record CategoryStats(string? Name, int SftTarget, int PairTarget, SftCounts Sft, PairCounts Pairs,
    PairOriginCounts? Origins = null, PairOriginCounts? ResolvedOrigins = null);

/// <summary>How many SFT examples and pairs of one category (null: none) carry one tag.</summary>
public sealed record CategoryTagCount(string? Category, string Tag, int Sft, int Pairs);

/// <param name="LatestJudgments">Each annotator's latest judgment of each pair; the rates below are shares of these.</param>
public sealed record WorkspaceStats(
    string Workspace,
    IReadOnlyList<CategoryStats> Categories,
    SftCounts Sft,
    PairCounts Pairs,
    int LatestJudgments,
    double TieRate,
    double BothBadRate,
    IReadOnlyList<CategoryTagCount>? Tags = null);

public sealed class WorkspaceStatsService(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    public async Task<WorkspaceStats> GetAsync(string workspaceName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await GetAsync(db, await StatisticsInput.LoadAsync(db, workspaceName, cancellationToken), cancellationToken);
    }

    internal static async Task<WorkspaceStats> GetAsync(AnnotateDbContext db, StatisticsInput input, CancellationToken cancellationToken)
    {
        var workspace = input.Workspace;
        var sftRows = await db.SftExamples.Where(e => e.WorkspaceId == workspace.Id)
            .GroupBy(e => new { e.CategoryId, e.Status })
            .Select(g => new { g.Key.CategoryId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var sftByCategory = sftRows.GroupBy(r => r.CategoryId).ToDictionary(
            g => g.Key ?? 0,
            g => new SftCounts(
                g.Where(r => r.Status == SftStatus.Draft).Sum(r => r.Count),
                g.Where(r => r.Status == SftStatus.Submitted).Sum(r => r.Count),
                g.Where(r => r.Status == SftStatus.Approved).Sum(r => r.Count),
                g.Where(r => r.Status == SftStatus.Rejected).Sum(r => r.Count)));

        var pairsByCategory = input.Outcomes.GroupBy(p => p.CategoryId ?? 0).ToDictionary(g => g.Key, g => Count(g.ToList()));
        var originsByCategory = input.Outcomes.GroupBy(p => p.CategoryId ?? 0).ToDictionary(
            g => g.Key,
            g => (All: g.Aggregate(PairOriginCounts.Zero, (counts, p) => counts.Add(p.OriginA, p.OriginB, p.Pairs)),
                  Resolved: g.Where(p => p.IsResolved).Aggregate(PairOriginCounts.Zero, (counts, p) => counts.Add(p.OriginA, p.OriginB, p.Pairs))));
        CategoryStats Stats(string? name, int sftTarget, int pairTarget, long id) =>
            new(name, sftTarget, pairTarget, sftByCategory.GetValueOrDefault(id, SftCounts.Zero), pairsByCategory.GetValueOrDefault(id, PairCounts.Zero),
                originsByCategory.TryGetValue(id, out var origins) ? origins.All : PairOriginCounts.Zero,
                originsByCategory.TryGetValue(id, out origins) ? origins.Resolved : PairOriginCounts.Zero);

        var latest = input.VoteSets.SelectMany(set => set.Votes.Select(v => (v.Verdict, set.Pairs))).ToList();
        var latestCount = latest.Sum(v => v.Pairs);
        double Rate(Verdict verdict) => latestCount == 0 ? 0 : (double)latest.Where(v => v.Verdict == verdict).Sum(v => v.Pairs) / latestCount;

        var categories = workspace.Categories.OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => Stats(c.Name, c.SftTarget, c.PairTarget, c.Id))
            .ToList();
        if (sftByCategory.ContainsKey(0) || pairsByCategory.ContainsKey(0)) categories.Add(Stats(null, 0, 0, 0));

        // Tag lists are JSON columns: the database groups rows by category and list, and each list is read once.
        var names = workspace.Categories.ToDictionary(c => c.Id, c => c.Name);
        var sftTags = await db.SftExamples.AsNoTracking().Where(e => e.WorkspaceId == workspace.Id)
            .GroupBy(e => new { e.CategoryId, e.Tags }).Select(g => new { g.Key.CategoryId, g.Key.Tags, Count = g.Count() })
            .ToListAsync(cancellationToken);
        string? NameOf(long? id) => id is { } known ? names.GetValueOrDefault(known) : null;
        var tags = sftTags.SelectMany(e => e.Tags.Distinct().Select(t => (Category: NameOf(e.CategoryId), Tag: t, Sft: e.Count, Pairs: 0)))
            .Concat(input.Pairs.SelectMany(p => p.Tags.Distinct().Select(t => (Category: NameOf(p.CategoryId), Tag: t, Sft: 0, p.Pairs))))
            .GroupBy(x => (x.Category, x.Tag))
            .Select(g => new CategoryTagCount(g.Key.Category, g.Key.Tag, g.Sum(x => x.Sft), g.Sum(x => x.Pairs)))
            .OrderBy(t => t.Category is null).ThenBy(t => t.Category, StringComparer.Ordinal).ThenBy(t => t.Tag, StringComparer.Ordinal)
            .ToList();

        return new WorkspaceStats(
            workspace.Name,
            categories,
            categories.Aggregate(SftCounts.Zero, (sum, c) => sum.Add(c.Sft)),
            categories.Aggregate(PairCounts.Zero, (sum, c) => sum.Add(c.Pairs)),
            latestCount,
            Rate(Verdict.Tie),
            Rate(Verdict.BothBad),
            tags);
    }

    private static PairCounts Count(IReadOnlyList<OutcomeGroup> groups)
    {
        int Of(params PairOutcome[] outcomes) => groups.Where(g => outcomes.Contains(g.Outcome)).Sum(g => g.Pairs);
        return new PairCounts(
            groups.Sum(g => g.Pairs),
            Of(PairOutcome.AChosen, PairOutcome.BChosen),
            Of(PairOutcome.Tie),
            Of(PairOutcome.BothBad),
            Of(PairOutcome.Disagreement),
            Of(PairOutcome.Unjudged));
    }
}
