namespace AnnotateDpo.Core.Domain;

public enum SftStatus { Draft, Submitted, Approved, Rejected }

/// <summary>
/// An instruction → ideal answer conversation: optional system message, then user/assistant turns;
/// the last assistant turn is the training target.
/// </summary>
public sealed class SftExample
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    /// <summary>Stable identifier within the workspace, kept through export and import.</summary>
    public required string Key { get; set; }
    public long? CategoryId { get; set; }
    public Category? Category { get; set; }
    public List<ChatMessage> Messages { get; set; } = [];
    public List<string> Tags { get; set; } = [];
    public required string AuthorId { get; set; }
    public SftStatus Status { get; set; } = SftStatus.Draft;
    public string? ReviewComment { get; set; }
    /// <summary>The manager who approved or rejected it last, and when; null while it has not been reviewed.</summary>
    public string? ReviewedBy { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>The file an imported row came from, and its 1-based line (CSV: record) number.</summary>
    public string? SourceFile { get; set; }
    public int? SourceLine { get; set; }
    /// <summary>Hash of the normalised conversation, for duplicate detection.</summary>
    public required string ContentHash { get; set; }
}
