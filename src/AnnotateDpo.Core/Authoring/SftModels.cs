using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Authoring;

/// <summary>What an author has typed: messages (an optional system message first), category and tags.</summary>
public sealed record SftContent(IReadOnlyList<ChatMessage> Messages, string? Category, IReadOnlyList<string> Tags);

/// <summary>An SFT example as the editor, the author's list and the review queue show it.</summary>
public sealed record SftExampleView(
    long Id, string Key, string? Category, IReadOnlyList<ChatMessage> Messages, IReadOnlyList<string> Tags,
    string AuthorId, SftStatus Status, string? ReviewComment, string? ReviewedBy, DateTime CreatedAt, DateTime UpdatedAt)
{
    internal static SftExampleView Of(SftExample e) => new(
        e.Id, e.Key, e.Category?.Name, e.Messages, e.Tags, e.AuthorId, e.Status, e.ReviewComment, e.ReviewedBy, e.CreatedAt, e.UpdatedAt);
}

/// <summary>A category an author can choose, with the manager's starter prompt (empty for none).</summary>
public sealed record CategoryTemplate(string Name, string Description, string StarterPrompt);

/// <summary>The workspace as the editor needs it.</summary>
public sealed record AuthoringWorkspace(string Name, string Language, IReadOnlyList<CategoryTemplate> Categories);
