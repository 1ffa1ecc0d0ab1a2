using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Evaluation;

/// <summary>A prompt to generate answers for, with the category and item it came from.</summary>
public sealed record CandidatePrompt(IReadOnlyList<ChatMessage> Prompt, string? Category, string Source);

/// <summary>
/// Where the prompts of an on-policy batch come from: <c>sft</c> (the workspace's SFT examples without their answer),
/// <c>pairs</c> (the prompts of its preference pairs), <c>category:NAME</c> (both, in one category) or
/// <c>file:PATH</c> (a text file, one prompt per line).
/// </summary>
public sealed record PromptSource(string Kind, string? Argument)
{
    public const string Sft = "sft";
    public const string Pairs = "pairs";
    public const string Category = "category";
    public const string File = "file";

    public static PromptSource Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':');
        var kind = colon < 0 ? text : text[..colon];
        var argument = colon < 0 ? null : text[(colon + 1)..];
        return (kind, argument) switch
        {
            (Sft or Pairs, null) => new PromptSource(kind, null),
            (Category or File, { Length: > 0 }) => new PromptSource(kind, argument),
            _ => throw new ArgumentException($"--prompts: '{text}' is not one of sft, pairs, category:NAME, file:PATH."),
        };
    }

    public override string ToString() => Argument is null ? Kind : $"{Kind}:{Argument}";
}

public static class CandidatePrompts
{
    /// <summary>
    /// The prompts of <paramref name="source"/>, each once (compared after normalisation), in a stable order (SFT
    /// examples, then pairs, by age), at most <paramref name="limit"/> of them.
    /// </summary>
    public static async Task<IReadOnlyList<CandidatePrompt>> LoadAsync(IDbContextFactory<AnnotateDbContext> dbFactory,
        string workspace, PromptSource source, int? limit = null, CancellationToken cancellationToken = default)
    {
        if (limit is < 1)
            throw new ArgumentException($"--limit: must be at least 1, not {limit}.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var prompts = new List<CandidatePrompt>();
        if (source.Kind == PromptSource.File)
        {
            var path = source.Argument!;
            if (!System.IO.File.Exists(path))
                throw new FileNotFoundException($"--prompts: the file '{path}' does not exist.", path);
            var lines = await System.IO.File.ReadAllLinesAsync(path, cancellationToken);
            prompts.AddRange(lines.Select((line, i) => (line, i))
                .Where(l => !string.IsNullOrWhiteSpace(l.line))
                .Select(l => new CandidatePrompt([new ChatMessage(ChatRoles.User, l.line.Trim())], null, $"{Path.GetFileName(path)}:{l.i + 1}")));
        }
        else
        {
            long? categoryId = null;
            if (source.Kind == PromptSource.Category)
            {
                categoryId = ws.Categories.FirstOrDefault(c => c.Name == source.Argument)?.Id
                    ?? throw new ArgumentException(
                        $"--prompts: workspace '{ws.Name}' has no category '{source.Argument}'. Known: {string.Join(", ", ws.Categories.Select(c => c.Name))}.");
            }
            var names = ws.Categories.ToDictionary(c => c.Id, c => c.Name);
            if (source.Kind is PromptSource.Sft or PromptSource.Category)
            {
                var examples = await db.SftExamples.AsNoTracking()
                    .Where(e => e.WorkspaceId == ws.Id && e.Status != SftStatus.Rejected && (categoryId == null || e.CategoryId == categoryId))
                    .OrderBy(e => e.Id).Select(e => new { e.Key, e.CategoryId, e.Messages }).ToListAsync(cancellationToken);
                prompts.AddRange(examples.Select(e => new CandidatePrompt(WithoutAnswer(e.Messages), CategoryName(names, e.CategoryId), $"sft:{e.Key}"))
                    .Where(p => p.Prompt.Count > 0));
            }
            if (source.Kind is PromptSource.Pairs or PromptSource.Category)
            {
                var pairs = await db.PreferencePairs.AsNoTracking()
                    .Where(p => p.WorkspaceId == ws.Id && (categoryId == null || p.CategoryId == categoryId))
                    .OrderBy(p => p.Id).Select(p => new { p.Key, p.CategoryId, p.Prompt }).ToListAsync(cancellationToken);
                prompts.AddRange(pairs.Select(p => new CandidatePrompt(p.Prompt, CategoryName(names, p.CategoryId), $"pair:{p.Key}")));
            }
        }

        var distinct = prompts.DistinctBy(p => ContentHash.ForSft(p.Prompt));
        return (limit is { } most ? distinct.Take(most) : distinct).ToList();
    }

    /// <summary>The conversation up to the training target: everything before the last assistant turn.</summary>
    private static List<ChatMessage> WithoutAnswer(List<ChatMessage> messages)
    {
        var last = messages.FindLastIndex(m => m.Role == ChatRoles.Assistant);
        return last < 0 ? messages : messages[..last];
    }

    private static string? CategoryName(Dictionary<long, string> names, long? id) => id is long c ? names.GetValueOrDefault(c) : null;
}
