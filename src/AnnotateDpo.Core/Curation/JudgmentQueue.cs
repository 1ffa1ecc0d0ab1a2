using System.Security.Cryptography;
using System.Text;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Curation;

/// <summary>A verdict as the annotator saw it: about the left and right responses, before the shown order is undone.</summary>
public enum ShownVerdict { Left, Right, Tie, BothBad }

/// <summary>What the judge-pairs page needs to know about a workspace before serving pairs.</summary>
public sealed record JudgingWorkspace(string Name, string Guidelines, int OverlapTarget, IReadOnlyList<string> KnownAnnotators);

/// <summary>An annotator's earlier judgment of a pair that is served again to be revised.</summary>
public sealed record PreviousJudgment(ShownVerdict Verdict, VerdictStrength? Strength, string? Rationale);

/// <summary>A pair as one annotator sees it: responses already placed left and right in <see cref="ShownOrder"/>.</summary>
public sealed record QueuedPair(
    long PairId, string PairKey, string? Category, IReadOnlyList<ChatMessage> Prompt,
    string Left, string Right, ShownOrder ShownOrder, PreviousJudgment? Revising = null);

/// <summary>How many of the workspace's pairs the annotator has judged.</summary>
public sealed record JudgingProgress(int JudgedByMe, int Pairs);

/// <summary>The pair to show next (none when the annotator has judged everything on offer) and the progress.</summary>
public sealed record QueueView(QueuedPair? Pair, JudgingProgress Progress);

/// <summary>One verdict from the page; <see cref="Strength"/> is required for left/right and dropped for tie/both bad.</summary>
public sealed record JudgmentSubmission(
    long PairId, string AnnotatorId, ShownVerdict Verdict, VerdictStrength? Strength, string? Rationale,
    ShownOrder ShownOrder, double SecondsSpent);

/// <summary>
/// Serves pairs to annotators and appends their judgments. Judgments are never updated or deleted: a new verdict on a
/// pair the annotator judged before is a new row that supersedes the earlier one. Undo therefore deletes nothing — it
/// serves the annotator's last judged pair again, and the re-judgment supersedes.
/// Annotators working at once: each judgment is its own row with its own key, so no one's verdict can overwrite
/// another's; and a pair on someone's screen counts as one judgment more while the queue chooses, so that two
/// annotators are not both sent the pair that needs only one more verdict. The queue is one per app (a singleton),
/// which is what lets it see every annotator's screen.
/// </summary>
public sealed class JudgmentQueue(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider time)
{
    /// <summary>How long a served pair counts as on the annotator's screen without a judgment or another request.</summary>
    public static readonly TimeSpan ScreenLease = TimeSpan.FromMinutes(15);

    private readonly Lock _screensGate = new();
    private readonly Dictionary<string, (long PairId, DateTimeOffset Until)> _screens = new(StringComparer.Ordinal);

    /// <exception cref="WorkspaceNotFoundException">No workspace has that name.</exception>
    public async Task<JudgingWorkspace> DescribeAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var annotators = await db.Judgments
            .Where(j => j.AnnotatorId != Judgment.ImportAnnotator && db.PreferencePairs.Any(p => p.Id == j.PairId && p.WorkspaceId == found.Id))
            .Select(j => j.AnnotatorId).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
        return new JudgingWorkspace(found.Name, found.Guidelines, found.OverlapTarget, annotators);
    }

    /// <summary>
    /// A pair the annotator has not judged (and did not skip): first those below the workspace's overlap target, then
    /// those whose category is furthest from its pair target (share of pairs at the overlap target), then the pairs
    /// closest to the overlap target, so that pairs get finished. A pair on another annotator's screen counts as
    /// judged once more by them; the pair served is then on this annotator's screen until they judge or ask again.
    /// </summary>
    /// <exception cref="WorkspaceNotFoundException">No workspace has that name.</exception>
    public async Task<QueueView> NextAsync(string workspace, string annotator, IReadOnlyCollection<long> skipped, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var pairs = await db.PreferencePairs.Where(p => p.WorkspaceId == ws.Id)
            .Select(p => new
            {
                p.Id,
                p.CategoryId,
                Annotators = p.Judgments.Where(j => !j.IsFinal).Select(j => j.AnnotatorId).Distinct().Count(),
                Mine = p.Judgments.Any(j => j.AnnotatorId == annotator),
            })
            .ToListAsync(cancellationToken);
        var targets = ws.Categories.ToDictionary(c => c.Id, c => c.PairTarget);
        var onOtherScreens = PairsOnOtherScreens(annotator);
        int Judges(long pairId, int stored) => stored + onOtherScreens.GetValueOrDefault(pairId);
        var completed = pairs.Where(p => p.Annotators >= ws.OverlapTarget && p.CategoryId is not null)
            .CountBy(p => p.CategoryId!.Value).ToDictionary();

        double CategoryFill(long? categoryId) =>
            categoryId is long id && targets.TryGetValue(id, out var target) && target > 0
                ? completed.GetValueOrDefault(id) / (double)target
                : 1.0;

        var nextId = pairs.Where(p => !p.Mine && !skipped.Contains(p.Id))
            .OrderBy(p => Judges(p.Id, p.Annotators) >= ws.OverlapTarget)
            .ThenBy(p => CategoryFill(p.CategoryId))
            .ThenByDescending(p => Judges(p.Id, p.Annotators))
            .ThenBy(p => p.Id)
            .Select(p => (long?)p.Id)
            .FirstOrDefault();
        PutOnScreen(annotator, nextId);
        var progress = new JudgingProgress(pairs.Count(p => p.Mine), pairs.Count);
        return new QueueView(nextId is long pairId ? await LoadAsync(db, pairId, annotator, null, cancellationToken) : null, progress);
    }

    /// <summary>Appends the judgment, superseding the annotator's latest judgment on the pair if there is one.</summary>
    public async Task<Judgment> SubmitAsync(JudgmentSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(submission.AnnotatorId, nameof(submission.AnnotatorId));
        var decisive = submission.Verdict is ShownVerdict.Left or ShownVerdict.Right;
        if (decisive && submission.Strength is null)
            throw new ArgumentException($"Strength: a {submission.Verdict} verdict needs a strength (slight, clear or strong).", nameof(submission));
        if (submission.SecondsSpent < 0)
            throw new ArgumentOutOfRangeException(nameof(submission), submission.SecondsSpent, "SecondsSpent: must not be negative.");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.PreferencePairs.AnyAsync(p => p.Id == submission.PairId, cancellationToken))
            throw new InvalidOperationException($"PairId: no pair with id {submission.PairId}.");
        var previous = await db.Judgments.Where(j => j.PairId == submission.PairId && j.AnnotatorId == submission.AnnotatorId && !j.IsFinal)
            .OrderByDescending(j => j.Id).Select(j => (long?)j.Id).FirstOrDefaultAsync(cancellationToken);
        var judgment = new Judgment
        {
            Key = "j-" + Guid.NewGuid().ToString("N"),
            PairId = submission.PairId,
            AnnotatorId = submission.AnnotatorId,
            Verdict = ToVerdict(submission.Verdict, submission.ShownOrder),
            Strength = decisive ? submission.Strength : null,
            Rationale = string.IsNullOrWhiteSpace(submission.Rationale) ? null : submission.Rationale.Trim(),
            ShownOrder = submission.ShownOrder,
            SecondsSpent = submission.SecondsSpent,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            SupersedesId = previous,
        };
        db.Judgments.Add(judgment);
        await db.SaveChangesAsync(cancellationToken);
        PutOnScreen(submission.AnnotatorId, null);
        return judgment;
    }

    /// <summary>
    /// The annotator's most recently judged pair of the workspace, served again with the earlier verdict to revise; null
    /// when they have judged nothing there. Nothing is deleted: the revision, once submitted, supersedes.
    /// </summary>
    public async Task<QueueView> UndoLastAsync(string workspace, string annotator, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var pairIds = db.PreferencePairs.Where(p => p.WorkspaceId == ws.Id).Select(p => p.Id);
        var last = await db.Judgments.Where(j => j.AnnotatorId == annotator && !j.IsFinal && pairIds.Contains(j.PairId))
            .OrderByDescending(j => j.Id).FirstOrDefaultAsync(cancellationToken);
        var progress = new JudgingProgress(
            await db.Judgments.Where(j => j.AnnotatorId == annotator && pairIds.Contains(j.PairId)).Select(j => j.PairId).Distinct().CountAsync(cancellationToken),
            await pairIds.CountAsync(cancellationToken));
        // The pair being revised is counted by the annotator's judgment already; the one on screen before is left.
        PutOnScreen(annotator, null);
        return new QueueView(last is null ? null : await LoadAsync(db, last.PairId, annotator, last, cancellationToken), progress);
    }

    /// <summary>How many other annotators have each pair on screen now.</summary>
    private Dictionary<long, int> PairsOnOtherScreens(string annotator)
    {
        var now = time.GetUtcNow();
        lock (_screensGate)
        {
            foreach (var expired in _screens.Where(s => s.Value.Until <= now).Select(s => s.Key).ToList())
                _screens.Remove(expired);
            return _screens.Where(s => s.Key != annotator).CountBy(s => s.Value.PairId).ToDictionary();
        }
    }

    /// <summary>Records the pair on the annotator's screen (one at a time), or none.</summary>
    private void PutOnScreen(string annotator, long? pairId)
    {
        lock (_screensGate)
        {
            if (pairId is long id) _screens[annotator] = (id, time.GetUtcNow() + ScreenLease);
            else _screens.Remove(annotator);
        }
    }

    /// <summary>Which response the annotator sees on the left: a hash of annotator and pair key, so a reload shows the same.</summary>
    public static ShownOrder OrderFor(string annotator, string pairKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{annotator}\n{pairKey}"));
        return (hash[0] & 1) == 0 ? ShownOrder.AB : ShownOrder.BA;
    }

    /// <summary>The stored verdict (about responses A and B) for what the annotator chose on screen.</summary>
    public static Verdict ToVerdict(ShownVerdict shown, ShownOrder order) => (shown, order) switch
    {
        (ShownVerdict.Left, ShownOrder.AB) or (ShownVerdict.Right, ShownOrder.BA) => Verdict.A,
        (ShownVerdict.Right, ShownOrder.AB) or (ShownVerdict.Left, ShownOrder.BA) => Verdict.B,
        (ShownVerdict.Tie, _) => Verdict.Tie,
        (ShownVerdict.BothBad, _) => Verdict.BothBad,
        _ => throw new ArgumentOutOfRangeException(nameof(shown), shown, "Valid verdicts: Left, Right, Tie, BothBad."),
    };

    private static ShownVerdict ToShown(Verdict verdict, ShownOrder order) => verdict switch
    {
        Verdict.A => order == ShownOrder.AB ? ShownVerdict.Left : ShownVerdict.Right,
        Verdict.B => order == ShownOrder.AB ? ShownVerdict.Right : ShownVerdict.Left,
        Verdict.Tie => ShownVerdict.Tie,
        _ => ShownVerdict.BothBad,
    };

    private static async Task<QueuedPair> LoadAsync(AnnotateDbContext db, long pairId, string annotator, Judgment? revising, CancellationToken cancellationToken)
    {
        var pair = await db.PreferencePairs.AsNoTracking().Include(p => p.Category).SingleAsync(p => p.Id == pairId, cancellationToken);
        var order = revising?.ShownOrder ?? OrderFor(annotator, pair.Key);
        var (left, right) = order == ShownOrder.AB ? (pair.ResponseA, pair.ResponseB) : (pair.ResponseB, pair.ResponseA);
        var previous = revising is null ? null : new PreviousJudgment(ToShown(revising.Verdict, revising.ShownOrder), revising.Strength, revising.Rationale);
        return new QueuedPair(pair.Id, pair.Key, pair.Category?.Name, pair.Prompt, left.Text, right.Text, order, previous);
    }
}
