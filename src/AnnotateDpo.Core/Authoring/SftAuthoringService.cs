using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Authoring;

/// <summary>
/// Authors' SFT examples: drafts saved as they are typed, submission for review, each author's own list, and the
/// managers' per-category starter prompts. An author changes only their own examples, and only while no manager
/// holds them (draft or rejected); the author id comes from the signed-in user, never from the page.
/// </summary>
public sealed class SftAuthoringService(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider time)
{
    /// <exception cref="WorkspaceNotFoundException"/>
    public async Task<AuthoringWorkspace> DescribeAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        return new AuthoringWorkspace(ws.Name, ws.Language,
            ws.Categories.OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new CategoryTemplate(c.Name, c.Description, c.StarterPrompt)).ToList());
    }

    /// <summary>
    /// Creates the draft (no <paramref name="id"/>) or updates it. Empty messages are not stored, so a stored draft
    /// is never a conversation with holes; a rejected example that is edited becomes a draft again and keeps the
    /// reviewer's comment until it is submitted.
    /// </summary>
    /// <exception cref="SftAuthoringException">Not the author's, already with a manager, or an unknown category.</exception>
    public async Task<SftExampleView> SaveDraftAsync(string workspace, string author, long? id, SftContent content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        ArgumentNullException.ThrowIfNull(content);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var category = FindCategory(ws, content.Category);
        var now = time.GetUtcNow().UtcDateTime;
        var messages = content.Messages.Where(m => !string.IsNullOrWhiteSpace(m.Content)).ToList();

        SftExample example;
        if (id is long existing)
        {
            example = await LoadOwnAsync(db, ws.Id, existing, author, cancellationToken);
            if (example.Status is SftStatus.Submitted or SftStatus.Approved)
                throw new SftAuthoringException($"Example {example.Key} is {example.Status.ToString().ToLowerInvariant()}; it can no longer be edited as a draft.");
        }
        else
        {
            example = new SftExample
            {
                WorkspaceId = ws.Id,
                Key = "sft-" + Guid.NewGuid().ToString("N")[..12],
                AuthorId = author,
                CreatedAt = now,
                ContentHash = "",
            };
            db.SftExamples.Add(example);
        }
        example.Messages = messages;
        example.CategoryId = category?.Id;
        example.Tags = content.Tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        example.ContentHash = ContentHash.ForSft(messages);
        example.Status = SftStatus.Draft;
        example.UpdatedAt = now;
        await SaveAsync(db, example, cancellationToken);
        example.Category = category;
        return SftExampleView.Of(example);
    }

    /// <summary>Hands the author's draft to the managers' review queue.</summary>
    /// <exception cref="SftAuthoringException">Not the author's, not a draft, or a conversation that cannot be trained on.</exception>
    public async Task<SftExampleView> SubmitAsync(string workspace, string author, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var example = await LoadOwnAsync(db, ws.Id, id, author, cancellationToken);
        if (example.Status is not (SftStatus.Draft or SftStatus.Rejected))
            throw new SftAuthoringException($"Example {example.Key} is {example.Status.ToString().ToLowerInvariant()}, not a draft; only drafts are submitted.");
        if (SftConversation.FindProblem(example.Messages) is { } problem)
            throw new SftAuthoringException($"Example {example.Key} cannot be submitted: {problem}.", problem);
        example.Status = SftStatus.Submitted;
        example.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await SaveAsync(db, example, cancellationToken);
        example.Category = ws.Categories.SingleOrDefault(c => c.Id == example.CategoryId);
        return SftExampleView.Of(example);
    }

    /// <summary>The author's examples of the workspace, most recently changed first, with the reviewer's comments.</summary>
    public async Task<IReadOnlyList<SftExampleView>> ListMineAsync(string workspace, string author, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var examples = await db.SftExamples.AsNoTracking().Include(e => e.Category)
            .Where(e => e.WorkspaceId == ws.Id && e.AuthorId == author)
            .OrderByDescending(e => e.UpdatedAt).ThenByDescending(e => e.Id)
            .ToListAsync(cancellationToken);
        return examples.Select(SftExampleView.Of).ToList();
    }

    /// <summary>Any example of the workspace (for the duplicate warning's link); null when the workspace has none with that id.</summary>
    public async Task<SftExampleView?> GetAsync(string workspace, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var example = await db.SftExamples.AsNoTracking().Include(e => e.Category)
            .SingleOrDefaultAsync(e => e.WorkspaceId == ws.Id && e.Id == id, cancellationToken);
        return example is null ? null : SftExampleView.Of(example);
    }

    /// <summary>Sets a category's starter prompt (a manager's step; empty removes it).</summary>
    /// <exception cref="SftAuthoringException">The workspace has no such category.</exception>
    public async Task SetStarterPromptAsync(string workspace, string category, string starterPrompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(starterPrompt);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var known = FindCategory(ws, category) ?? throw new SftAuthoringException("category: choose the category whose starter prompt to set.");
        var tracked = await db.Categories.SingleAsync(c => c.Id == known.Id, cancellationToken);
        tracked.StarterPrompt = starterPrompt.Trim();
        await db.SaveChangesAsync(cancellationToken);
    }

    private static Category? FindCategory(Workspace ws, string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        return ws.Categories.SingleOrDefault(c => c.Name == name.Trim())
               ?? throw new SftAuthoringException(ws.Categories.Count == 0
                   ? $"category: '{name}' is not a category; workspace '{ws.Name}' defines none."
                   : $"category: '{name}' is not a category of workspace '{ws.Name}'; it defines {string.Join(", ", ws.Categories.Select(c => c.Name).Order(StringComparer.Ordinal))}.");
    }

    /// <summary>The status is a concurrency token: a save from another tab that submitted meanwhile fails here.</summary>
    private static async Task SaveAsync(AnnotateDbContext db, SftExample example, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new SftAuthoringException($"Example {example.Key} was changed elsewhere meanwhile (submitted or reviewed); reload it.");
        }
    }

    private static async Task<SftExample> LoadOwnAsync(AnnotateDbContext db, long workspaceId, long id, string author, CancellationToken cancellationToken)
    {
        var example = await db.SftExamples.SingleOrDefaultAsync(e => e.WorkspaceId == workspaceId && e.Id == id, cancellationToken)
                      ?? throw new SftAuthoringException($"id: the workspace has no SFT example {id}.");
        return example.AuthorId == author
            ? example
            : throw new SftAuthoringException($"Example {example.Key} was written by {example.AuthorId}; only its author edits or submits it.");
    }
}
