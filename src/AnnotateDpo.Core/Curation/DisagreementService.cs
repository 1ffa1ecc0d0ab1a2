using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Curation;

/// <summary>One annotator's latest verdict on a disagreed pair, about responses A and B.</summary>
public sealed record AnnotatorVerdict(string AnnotatorId, Verdict Verdict, VerdictStrength? Strength, string? Rationale, DateTime CreatedAt);

/// <summary>A pair a manager reviews: its prompt, both responses and each annotator's latest verdict.</summary>
public sealed record PairUnderReview(
    long PairId, string PairKey, string? Category, IReadOnlyList<ChatMessage> Prompt, string ResponseA, string ResponseB,
    IReadOnlyList<AnnotatorVerdict> Verdicts);

/// <summary>The page of disagreements (pairs whose latest verdicts have no strict plurality) shown, and how many the workspace has in all.</summary>
public sealed record DisagreementPage(IReadOnlyList<PairUnderReview> Items, int Total);

/// <summary>
/// The pairs that <see cref="PairResolver"/> leaves as disagreements, and the manager's way out: a final verdict, a
/// judgment with <see cref="Judgment.IsFinal"/> that decides the pair over all others and leaves the annotators'
/// own verdicts (the manager's included) as they were, for agreement statistics.
/// </summary>
public sealed class DisagreementService(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider time)
{
    public const int DefaultPageSize = 20;

    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<DisagreementPage> ListAsync(string workspace, int take = DefaultPageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var disagreed = (await PairResolutionQuery.ResolveWorkspaceAsync(db, ws.Id, cancellationToken))
            .Where(r => r.Value.Outcome == PairOutcome.Disagreement).Select(r => r.Key).Order().ToList();
        var items = await LoadForReviewAsync(db, ws.Id, disagreed.Take(take).ToList(), cancellationToken);
        return new DisagreementPage(items, disagreed.Count);
    }

    /// <summary>The pairs <paramref name="pairIds"/> of the workspace with their annotators' latest verdicts, by id.</summary>
    internal static async Task<List<PairUnderReview>> LoadForReviewAsync(
        AnnotateDbContext db, long workspaceId, IReadOnlyCollection<long> pairIds, CancellationToken cancellationToken)
    {
        var pairs = await db.PreferencePairs.AsNoTracking().Include(p => p.Category)
            .Where(p => p.WorkspaceId == workspaceId && pairIds.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        // The pairs go into the grouping itself (only the workspace's pairs above are looked up).
        var verdicts = (await PairResolutionQuery.LatestOf(db, db.Judgments.Where(j => pairIds.Contains(j.PairId)))
                .Where(j => !j.IsFinal)
                .OrderBy(j => j.AnnotatorId)
                .ToListAsync(cancellationToken))
            .ToLookup(j => j.PairId, j => new AnnotatorVerdict(j.AnnotatorId, j.Verdict, j.Strength, j.Rationale, j.CreatedAt));
        return pairs.Select(p => new PairUnderReview(
            p.Id, p.Key, p.Category?.Name, p.Prompt, p.ResponseA.Text, p.ResponseB.Text, verdicts[p.Id].ToList())).ToList();
    }

    /// <summary>Records <paramref name="manager"/>'s final verdict on the pair; a later final of theirs supersedes it.</summary>
    /// <exception cref="ArgumentException">No such pair in the workspace, or a decisive verdict without a strength.</exception>
    public async Task<Judgment> SetFinalAsync(
        string workspace, long pairId, string manager, Verdict verdict, VerdictStrength? strength, string? rationale,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manager);
        var decisive = verdict is Verdict.A or Verdict.B;
        if (decisive && strength is null)
            throw new ArgumentException($"strength: a final verdict of {verdict} needs a strength (slight, clear or strong).", nameof(strength));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        if (!await db.PreferencePairs.AnyAsync(p => p.Id == pairId && p.WorkspaceId == ws.Id, cancellationToken))
            throw new ArgumentException($"pairId: workspace '{ws.Name}' has no pair {pairId}.", nameof(pairId));
        var previousFinal = await db.Judgments.Where(j => j.PairId == pairId && j.AnnotatorId == manager && j.IsFinal)
            .OrderByDescending(j => j.Id).Select(j => (long?)j.Id).FirstOrDefaultAsync(cancellationToken);
        var judgment = new Judgment
        {
            Key = "final-" + Guid.NewGuid().ToString("N"),
            PairId = pairId,
            AnnotatorId = manager,
            Verdict = verdict,
            Strength = decisive ? strength : null,
            Rationale = string.IsNullOrWhiteSpace(rationale) ? null : rationale.Trim(),
            // The manager reads A on the left and B on the right.
            ShownOrder = ShownOrder.AB,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            SupersedesId = previousFinal,
            IsFinal = true,
        };
        db.Judgments.Add(judgment);
        await db.SaveChangesAsync(cancellationToken);
        return judgment;
    }
}
