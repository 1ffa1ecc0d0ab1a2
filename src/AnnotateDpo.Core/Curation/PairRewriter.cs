using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Curation;

/// <summary>One of a pair's two stored responses.</summary>
public enum PairSide { A, B }

/// <summary>
/// An annotator's better answer to a pair's prompt, written from one of its responses (<see cref="From"/>).
/// <see cref="ShownOrder"/> is the order the annotator saw the original pair in.
/// </summary>
public sealed record PairRewrite(
    long PairId, string AnnotatorId, PairSide From, string Text, ShownOrder ShownOrder, bool AlsoSftExample, double SecondsSpent);

/// <summary>The keys of what a rewrite created: the new pair, and the SFT example when one was asked for.</summary>
public sealed record RewriteResult(string PairKey, string? SftKey);

/// <summary>
/// Turns a rewrite into a new pair of the same workspace, prompt, category and tags: the edited answer is response A
/// (origin Edited, edited from the original pair) and the response it was written from is B. The author's verdict
/// (A, strong) is stored as their judgment of the new pair, with the edited answer where the original stood on their
/// screen, so position statistics see what the author saw. Optionally the answer also becomes a submitted SFT
/// example by the author. All of it is written in one SaveChanges, so a failure leaves nothing behind.
/// </summary>
public sealed class PairRewriter(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider time)
{
    /// <exception cref="ArgumentException">The text is empty or unchanged, or the workspace already holds the new pair or example.</exception>
    /// <exception cref="InvalidOperationException">No pair has that id.</exception>
    public async Task<RewriteResult> SaveAsync(PairRewrite rewrite, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rewrite.AnnotatorId, nameof(rewrite.AnnotatorId));
        if (string.IsNullOrWhiteSpace(rewrite.Text))
            throw new ArgumentException("Text: the better answer is empty.", nameof(rewrite));
        if (rewrite.SecondsSpent < 0)
            throw new ArgumentOutOfRangeException(nameof(rewrite), rewrite.SecondsSpent, "SecondsSpent: must not be negative.");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var original = await db.PreferencePairs.AsNoTracking().SingleOrDefaultAsync(p => p.Id == rewrite.PairId, cancellationToken)
            ?? throw new InvalidOperationException($"PairId: no pair with id {rewrite.PairId}.");
        var source = rewrite.From == PairSide.A ? original.ResponseA : original.ResponseB;
        var text = rewrite.Text.Trim();
        if (TextNormalizer.Normalize(text) == TextNormalizer.Normalize(source.Text))
            throw new ArgumentException("Text: the better answer is the same as the response it was written from; change it first.", nameof(rewrite));

        var now = time.GetUtcNow().UtcDateTime;
        var pairHash = ContentHash.ForPair(original.Prompt, text, source.Text);
        if (await db.PreferencePairs.Where(p => p.WorkspaceId == original.WorkspaceId && p.ContentHash == pairHash)
                .Select(p => p.Key).FirstOrDefaultAsync(cancellationToken) is { } existingPair)
            throw new ArgumentException($"Text: the workspace already has this pair ({existingPair}).", nameof(rewrite));
        var pair = new PreferencePair
        {
            WorkspaceId = original.WorkspaceId,
            Key = await FreeKeyAsync("pair-" + pairHash[..12], k => db.PreferencePairs.AnyAsync(p => p.WorkspaceId == original.WorkspaceId && p.Key == k, cancellationToken)),
            CategoryId = original.CategoryId,
            Prompt = original.Prompt,
            ResponseA = new PairResponse { Text = text, Origin = ResponseOrigin.Edited, EditedFromPairKey = original.Key },
            ResponseB = new PairResponse { Text = source.Text, Origin = source.Origin, Model = source.Model, Run = source.Run, EditedFromPairKey = source.EditedFromPairKey },
            Tags = original.Tags,
            AuthorId = rewrite.AnnotatorId,
            CreatedAt = now,
            ContentHash = pairHash,
            Judgments =
            [
                new Judgment
                {
                    Key = "j-" + Guid.NewGuid().ToString("N"),
                    AnnotatorId = rewrite.AnnotatorId,
                    Verdict = Verdict.A,
                    Strength = VerdictStrength.Strong,
                    Rationale = "Rewritten from " + original.Key,
                    ShownOrder = (rewrite.From == PairSide.A) == (rewrite.ShownOrder == ShownOrder.AB) ? ShownOrder.AB : ShownOrder.BA,
                    SecondsSpent = rewrite.SecondsSpent,
                    CreatedAt = now,
                },
            ],
        };
        db.PreferencePairs.Add(pair);

        string? sftKey = null;
        if (rewrite.AlsoSftExample)
        {
            List<ChatMessage> messages = [.. original.Prompt, new(ChatRoles.Assistant, text)];
            var sftHash = ContentHash.ForSft(messages);
            if (await db.SftExamples.Where(e => e.WorkspaceId == original.WorkspaceId && e.ContentHash == sftHash)
                    .Select(e => e.Key).FirstOrDefaultAsync(cancellationToken) is { } existingSft)
                throw new ArgumentException($"Text: the workspace already has this SFT example ({existingSft}).", nameof(rewrite));
            sftKey = await FreeKeyAsync("sft-" + sftHash[..12], k => db.SftExamples.AnyAsync(e => e.WorkspaceId == original.WorkspaceId && e.Key == k, cancellationToken));
            db.SftExamples.Add(new SftExample
            {
                WorkspaceId = original.WorkspaceId,
                Key = sftKey,
                CategoryId = original.CategoryId,
                Messages = messages,
                Tags = original.Tags,
                AuthorId = rewrite.AnnotatorId,
                Status = SftStatus.Submitted,
                CreatedAt = now,
                UpdatedAt = now,
                ContentHash = sftHash,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        return new RewriteResult(pair.Key, sftKey);
    }

    /// <summary>The key itself, or with the first free numeric suffix, as import names rows.</summary>
    private static async Task<string> FreeKeyAsync(string stem, Func<string, Task<bool>> taken)
    {
        var key = stem;
        for (var n = 2; await taken(key); n++) key = $"{stem}-{n}";
        return key;
    }
}
