using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Snapshots;

public sealed record SnapshotRequest(string WorkspaceName, double EvalFraction = 0.1, int Seed = 42, string CreatedBy = "cli");

/// <param name="Created">False when an identical snapshot (same content hash) already existed and was returned.</param>
public sealed record SnapshotResult(DatasetSnapshot Snapshot, bool Created);

/// <summary>Freezes the curated state of a workspace into an immutable, content-addressed snapshot.</summary>
public sealed class SnapshotService(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider clock)
{
    public async Task<SnapshotResult> CreateAsync(SnapshotRequest request, CancellationToken cancellationToken = default)
    {
        if (request.EvalFraction is < 0 or >= 1 || double.IsNaN(request.EvalFraction))
            throw new ArgumentOutOfRangeException(nameof(request), request.EvalFraction,
                "eval-fraction must be at least 0 and below 1.");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workspace = await WorkspaceLookup.GetAsync(db, request.WorkspaceName, cancellationToken);
        var categoryNames = workspace.Categories.ToDictionary(c => c.Id, c => c.Name);
        var snapshot = new DatasetSnapshot
        {
            WorkspaceId = workspace.Id,
            ContentHash = "",
            EvalFraction = request.EvalFraction,
            Seed = request.Seed,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedBy = request.CreatedBy,
        };

        var approved = await db.SftExamples.AsNoTracking()
            .Where(e => e.WorkspaceId == workspace.Id && e.Status == SftStatus.Approved)
            .Select(e => new { e.Key, e.CategoryId, e.Messages })
            .ToListAsync(cancellationToken);
        var sftItems = approved.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new SnapshotSftItem
            {
                SourceKey = e.Key,
                Category = CategoryName(categoryNames, e.CategoryId),
                Messages = e.Messages,
            }).ToList();

        var pairItems = new List<SnapshotPairItem>();
        foreach (var (pair, resolution) in await ResolvePairsAsync(db, workspace.Id, cancellationToken))
        {
            switch (resolution.Outcome)
            {
                case PairOutcome.AChosen or PairOutcome.BChosen:
                    var aChosen = resolution.Outcome == PairOutcome.AChosen;
                    pairItems.Add(new SnapshotPairItem
                    {
                        SourceKey = pair.Key,
                        Category = CategoryName(categoryNames, pair.CategoryId),
                        Prompt = pair.Prompt,
                        Chosen = aChosen ? pair.ResponseA : pair.ResponseB,
                        Rejected = aChosen ? pair.ResponseB : pair.ResponseA,
                        // Provenance, not content: the hash leaves it out, as a pair's responses never change origin.
                        ChosenOrigin = aChosen ? pair.OriginA : pair.OriginB,
                        RejectedOrigin = aChosen ? pair.OriginB : pair.OriginA,
                    });
                    break;
                case PairOutcome.Tie: snapshot.ExcludedTies++; break;
                case PairOutcome.BothBad: snapshot.ExcludedBothBad++; break;
                case PairOutcome.Disagreement: snapshot.ExcludedDisagreements++; break;
                case PairOutcome.Unjudged: snapshot.ExcludedUnjudged++; break;
            }
        }
        pairItems.Sort((x, y) => string.CompareOrdinal(x.SourceKey, y.SourceKey));

        AssignSplits(sftItems, request, (item, split) => item.Split = split, item => item.SourceKey);
        AssignSplits(pairItems, request, (item, split) => item.Split = split, item => item.SourceKey);
        for (var i = 0; i < sftItems.Count; i++) sftItems[i].Ordinal = i;
        for (var i = 0; i < pairItems.Count; i++) pairItems[i].Ordinal = i;
        snapshot.ContentHash = HashContent(request, sftItems, pairItems);

        var existing = await db.Snapshots.AsNoTracking()
            .FirstOrDefaultAsync(s => s.WorkspaceId == workspace.Id && s.ContentHash == snapshot.ContentHash, cancellationToken);
        if (existing is not null) return new(existing, Created: false);

        snapshot.SftItems = sftItems;
        snapshot.PairItems = pairItems;
        db.Snapshots.Add(snapshot);
        await db.SaveChangesAsync(cancellationToken);
        return new(snapshot, Created: true);
    }

    public async Task<DatasetSnapshot> GetAsync(long snapshotId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Snapshots.AsNoTracking()
            .Include(s => s.SftItems.OrderBy(i => i.Ordinal))
            .Include(s => s.PairItems.OrderBy(i => i.Ordinal))
            .AsSplitQuery()
            .SingleOrDefaultAsync(s => s.Id == snapshotId, cancellationToken)
            ?? throw new KeyNotFoundException($"Snapshot {snapshotId} does not exist.");
    }

    private sealed record PairContent(
        string Key, long? CategoryId, List<ChatMessage> Prompt, string ResponseA, string ResponseB, ResponseOrigin OriginA, ResponseOrigin OriginB);

    private static async Task<List<(PairContent Pair, PairResolution Resolution)>> ResolvePairsAsync(
        AnnotateDbContext db, long workspaceId, CancellationToken cancellationToken)
    {
        var resolutions = await PairResolutionQuery.ResolveWorkspaceAsync(db, workspaceId, cancellationToken);
        var pairs = await db.PreferencePairs.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId)
            .Select(p => new { p.Id, Content = new PairContent(p.Key, p.CategoryId, p.Prompt, p.ResponseA.Text, p.ResponseB.Text, p.ResponseA.Origin, p.ResponseB.Origin) })
            .ToListAsync(cancellationToken);
        return pairs.Select(p => (p.Content, resolutions[p.Id])).ToList();
    }

    /// <summary>
    /// Eval items are those whose hash of (seed, key) sorts first, so a split depends only on the seed and the items
    /// themselves, and adding one item moves no other between splits.
    /// </summary>
    private static void AssignSplits<T>(List<T> items, SnapshotRequest request, Action<T, DatasetSplit> setSplit, Func<T, string> key)
    {
        var evalCount = (int)Math.Round(items.Count * request.EvalFraction, MidpointRounding.AwayFromZero);
        if (request.EvalFraction > 0 && items.Count >= 2) evalCount = Math.Max(evalCount, 1);
        var ranked = items.OrderBy(item => Sha256Hex($"{request.Seed}:{key(item)}"), StringComparer.Ordinal).ToList();
        for (var i = 0; i < ranked.Count; i++)
            setSplit(ranked[i], i < evalCount ? DatasetSplit.Eval : DatasetSplit.Train);
    }

    private static string HashContent(SnapshotRequest request, List<SnapshotSftItem> sft, List<SnapshotPairItem> pairs)
    {
        var canonical = JsonSerializer.Serialize(new
        {
            evalFraction = request.EvalFraction,
            seed = request.Seed,
            sft = sft.Select(i => new { i.SourceKey, split = i.Split.ToString(), i.Category, i.Messages }),
            pairs = pairs.Select(i => new { i.SourceKey, split = i.Split.ToString(), i.Category, i.Prompt, i.Chosen, i.Rejected }),
        });
        return Sha256Hex(canonical);
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string? CategoryName(Dictionary<long, string> names, long? id) =>
        id is { } value && names.TryGetValue(value, out var name) ? name : null;
}
