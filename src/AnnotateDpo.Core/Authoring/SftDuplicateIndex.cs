using System.Collections.Concurrent;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Authoring;

/// <summary>Another example of the workspace that the text being typed repeats, exactly (after normalising) or nearly.</summary>
public sealed record DuplicateMatch(long Id, string Key, string AuthorId, SftStatus Status, double Similarity, bool Exact);

/// <summary>
/// Finds the workspace's SFT examples that a conversation duplicates: the same normalised content (the content hash),
/// or a character 5-gram Jaccard similarity of at least <see cref="NearDuplicateThreshold"/>. The shingle sets are
/// kept per workspace and brought up to date from the rows changed since (by UpdatedAt), so a check while typing
/// reads two numbers and the few changed rows, then compares in memory; a full reload happens only when rows
/// vanished or arrived with an older UpdatedAt (an import of curated rows), which the row count reveals.
/// </summary>
public sealed class SftDuplicateIndex(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    public const double NearDuplicateThreshold = 0.8;
    public const int MaxMatches = 3;

    private readonly ConcurrentDictionary<long, Snapshot> _workspaces = new();

    /// <summary>The closest matches, exact ones first, at most <see cref="MaxMatches"/>; none for an empty conversation.</summary>
    /// <param name="exceptId">The example being edited, which is never its own duplicate.</param>
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<IReadOnlyList<DuplicateMatch>> FindAsync(
        string workspace, IReadOnlyList<ChatMessage> messages, long? exceptId, CancellationToken cancellationToken = default)
    {
        var nonEmpty = messages.Where(m => !string.IsNullOrWhiteSpace(m.Content)).ToList();
        if (nonEmpty.Count == 0) return [];
        var hash = ContentHash.ForSft(nonEmpty);
        var shingles = ShingleSet.Of(SftConversation.ComparableText(nonEmpty));

        var snapshot = await CurrentAsync(workspace, cancellationToken);
        return snapshot.Entries.Values
            .Where(e => e.Id != exceptId)
            .Select(e => (Entry: e, Exact: e.ContentHash == hash))
            .Where(c => c.Exact || ShingleSet.MaxJaccard(shingles.Count, c.Entry.Shingles.Count) >= NearDuplicateThreshold)
            .Select(c => (c.Entry, c.Exact, Similarity: c.Exact ? 1.0 : shingles.Jaccard(c.Entry.Shingles)))
            .Where(c => c.Exact || c.Similarity >= NearDuplicateThreshold)
            .OrderByDescending(c => c.Exact).ThenByDescending(c => c.Similarity).ThenBy(c => c.Entry.Id)
            .Take(MaxMatches)
            .Select(c => new DuplicateMatch(c.Entry.Id, c.Entry.Key, c.Entry.AuthorId, c.Entry.Status, c.Similarity, c.Exact))
            .ToList();
    }

    private async Task<Snapshot> CurrentAsync(string workspace, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var rows = db.SftExamples.Where(e => e.WorkspaceId == ws.Id);
        var count = await rows.CountAsync(cancellationToken);
        var lastUpdate = await rows.MaxAsync(e => (DateTime?)e.UpdatedAt, cancellationToken);

        if (_workspaces.TryGetValue(ws.Id, out var cached) && cached.Count == count && cached.LastUpdate == lastUpdate)
            return cached;

        Dictionary<long, Entry> entries;
        if (cached?.LastUpdate is { } since)
        {
            // Rows saved in the same tick as the last one seen may be new too, hence >=.
            entries = new Dictionary<long, Entry>(cached.Entries);
            foreach (var entry in await LoadAsync(rows.Where(e => e.UpdatedAt >= since), cancellationToken))
                entries[entry.Id] = entry;
            if (entries.Count != count)
                entries = (await LoadAsync(rows, cancellationToken)).ToDictionary(e => e.Id);
        }
        else
        {
            entries = (await LoadAsync(rows, cancellationToken)).ToDictionary(e => e.Id);
        }
        var snapshot = new Snapshot(count, lastUpdate, entries);
        _workspaces[ws.Id] = snapshot;
        return snapshot;
    }

    private static async Task<List<Entry>> LoadAsync(IQueryable<SftExample> rows, CancellationToken cancellationToken) =>
        (await rows.AsNoTracking()
            .Select(e => new { e.Id, e.Key, e.AuthorId, e.Status, e.ContentHash, e.Messages })
            .ToListAsync(cancellationToken))
        .Select(e => new Entry(e.Id, e.Key, e.AuthorId, e.Status, e.ContentHash, ShingleSet.Of(SftConversation.ComparableText(e.Messages))))
        .ToList();

    private sealed record Entry(long Id, string Key, string AuthorId, SftStatus Status, string ContentHash, ShingleSet Shingles);

    private sealed record Snapshot(int Count, DateTime? LastUpdate, IReadOnlyDictionary<long, Entry> Entries);
}
