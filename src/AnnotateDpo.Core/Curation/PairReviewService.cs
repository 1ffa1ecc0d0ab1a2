using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Curation;

/// <summary>An open review request and the pair it is about.</summary>
public sealed record FlaggedPair(PairReviewRequest Request, PairUnderReview Pair);

/// <summary>
/// The review queue of pairs sent back by training diagnostics: a run's flagged eval pair becomes a request with its
/// flags as the reason; the manager sets a final verdict (which closes it) or dismisses it.
/// </summary>
public sealed class PairReviewService(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider time)
{
    /// <summary>
    /// Puts the pair with key <paramref name="pairKey"/> in the review queue. A pair already waiting there keeps its
    /// request (returned as it is), so sending it twice does not ask twice.
    /// </summary>
    /// <exception cref="ArgumentException">No such pair in the workspace, or an empty or too long reason or source.</exception>
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<PairReviewRequest> RequestAsync(
        string workspace, string pairKey, string reason, string source, string requestedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        Check(reason, nameof(reason), PairReviewRequest.ReasonMaxLength);
        Check(source, nameof(source), PairReviewRequest.SourceMaxLength);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var pairId = await db.PreferencePairs.Where(p => p.WorkspaceId == ws.Id && p.Key == pairKey).Select(p => (long?)p.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ArgumentException($"pairKey: workspace '{ws.Name}' has no pair '{pairKey}'.", nameof(pairKey));
        if (await db.PairReviewRequests.FirstOrDefaultAsync(r => r.PairId == pairId && r.ClosedAt == null, cancellationToken) is { } open)
            return open;
        var request = new PairReviewRequest
        {
            PairId = pairId,
            Reason = reason.Trim(),
            Source = source.Trim(),
            RequestedBy = requestedBy,
            RequestedAt = time.GetUtcNow().UtcDateTime,
        };
        db.PairReviewRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        return request;
    }

    /// <summary>The workspace's open requests, oldest first, each with its pair and verdicts.</summary>
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<IReadOnlyList<FlaggedPair>> ListOpenAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var requests = await db.PairReviewRequests.AsNoTracking()
            .Where(r => r.ClosedAt == null && db.PreferencePairs.Any(p => p.Id == r.PairId && p.WorkspaceId == ws.Id))
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken);
        var pairs = (await DisagreementService.LoadForReviewAsync(db, ws.Id, requests.Select(r => r.PairId).ToList(), cancellationToken))
            .ToDictionary(p => p.PairId);
        return requests.Select(r => new FlaggedPair(r, pairs[r.PairId])).ToList();
    }

    /// <summary>The pair with key <paramref name="pairKey"/> and its verdicts; null when the workspace has no such pair.</summary>
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<PairUnderReview?> GetAsync(string workspace, string pairKey, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var ids = await db.PreferencePairs.Where(p => p.WorkspaceId == ws.Id && p.Key == pairKey).Select(p => p.Id).ToListAsync(cancellationToken);
        return (await DisagreementService.LoadForReviewAsync(db, ws.Id, ids, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Closes the pair's open request, if it has one (after a final verdict, or dismissed as fine).</summary>
    public async Task CloseAsync(long pairId, string manager, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manager);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var request in await db.PairReviewRequests.Where(r => r.PairId == pairId && r.ClosedAt == null).ToListAsync(cancellationToken))
            (request.ClosedBy, request.ClosedAt) = (manager, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Check(string value, string name, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{name}: must not be empty.", name);
        if (value.Trim().Length > maxLength)
            throw new ArgumentException($"{name}: {value.Trim().Length} characters, more than the {maxLength} allowed.", name);
    }
}
