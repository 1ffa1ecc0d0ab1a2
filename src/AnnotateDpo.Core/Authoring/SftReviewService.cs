using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Authoring;

/// <summary>
/// The managers' review of submitted SFT examples: approve (optionally with edits), or reject with a comment the
/// author reads. Only a submitted example is reviewed, so two managers deciding on one example at once cannot both
/// win: the second finds it already decided and is told so.
/// </summary>
public sealed class SftReviewService(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider time)
{
    /// <summary>The submitted examples of the workspace, longest waiting first.</summary>
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<IReadOnlyList<SftExampleView>> QueueAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var examples = await db.SftExamples.AsNoTracking().Include(e => e.Category)
            .Where(e => e.WorkspaceId == ws.Id && e.Status == SftStatus.Submitted)
            .OrderBy(e => e.UpdatedAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        return examples.Select(SftExampleView.Of).ToList();
    }

    /// <summary>Approves the example; <paramref name="editedMessages"/> replaces its conversation first (edit and approve).</summary>
    /// <exception cref="SftAuthoringException">Not waiting for review, or edits that leave no trainable conversation.</exception>
    public async Task<SftExampleView> ApproveAsync(
        string workspace, long id, string reviewer, IReadOnlyList<ChatMessage>? editedMessages = null, string? comment = null,
        CancellationToken cancellationToken = default)
    {
        if (editedMessages is not null && SftConversation.FindProblem(editedMessages) is { } problem)
            throw new SftAuthoringException($"messages: the edited conversation cannot be approved: {problem}.", problem);
        return await DecideAsync(workspace, id, reviewer, SftStatus.Approved, comment, example =>
        {
            if (editedMessages is null) return;
            example.Messages = editedMessages.ToList();
            example.ContentHash = ContentHash.ForSft(example.Messages);
        }, cancellationToken);
    }

    /// <summary>Sends the example back to its author with <paramref name="comment"/>, which is required.</summary>
    /// <exception cref="SftAuthoringException">No comment, or not waiting for review.</exception>
    public Task<SftExampleView> RejectAsync(string workspace, long id, string reviewer, string comment, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(comment))
            throw new SftAuthoringException("comment: a rejection needs a comment that tells the author what to change.");
        return DecideAsync(workspace, id, reviewer, SftStatus.Rejected, comment, _ => { }, cancellationToken);
    }

    private async Task<SftExampleView> DecideAsync(
        string workspace, long id, string reviewer, SftStatus decision, string? comment, Action<SftExample> edit,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reviewer);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var example = await db.SftExamples.SingleOrDefaultAsync(e => e.WorkspaceId == ws.Id && e.Id == id, cancellationToken)
                      ?? throw new SftAuthoringException($"id: workspace '{ws.Name}' has no SFT example {id}.");
        if (example.Status != SftStatus.Submitted)
            throw new SftAuthoringException($"Example {example.Key} is {example.Status.ToString().ToLowerInvariant()}, not waiting for review.");
        var now = time.GetUtcNow().UtcDateTime;
        edit(example);
        example.Status = decision;
        example.ReviewComment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        example.ReviewedBy = reviewer;
        example.ReviewedAt = now;
        example.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new SftAuthoringException($"Example {example.Key} was decided or changed by someone else meanwhile; reload the queue.");
        }
        example.Category = ws.Categories.SingleOrDefault(c => c.Id == example.CategoryId);
        return SftExampleView.Of(example);
    }
}
