namespace AnnotateDpo.Core.Import;

/// <summary>
/// What one row of any format said, before validation. Every reader maps its format to this one shape and reports
/// only what the shape cannot hold (bad JSON, wrong types, missing fields); <see cref="RecordValidator"/> then checks
/// the content once for all formats. Enumerations and timestamps are still text so that unknown values are reported
/// the same way whichever file they came from.
/// </summary>
internal sealed record ImportRecord
{
    public required string File { get; init; }
    public required int Line { get; init; }
    public required ImportKind Kind { get; init; }
    /// <summary>Full-fidelity rows carry their own curation: status, judgments, authors, timestamps, known categories.</summary>
    public required bool FullFidelity { get; init; }
    public string? Id { get; init; }
    public string? Category { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? AuthorId { get; init; }
    public string? CreatedAt { get; init; }
    /// <summary>The SFT conversation, or the pair's prompt.</summary>
    public required IReadOnlyList<MessageRecord> Messages { get; init; }
    /// <summary>Names <see cref="Messages"/> in errors about the list as a whole ("messages", "prompt").</summary>
    public required string MessagesField { get; init; }
    public string? Status { get; init; }
    public string? ReviewComment { get; init; }
    public string? UpdatedAt { get; init; }
    public ResponseRecord? ResponseA { get; init; }
    public ResponseRecord? ResponseB { get; init; }
    public IReadOnlyList<JudgmentRecord> Judgments { get; init; } = [];
}

/// <summary>A message and the fields that name its role and content in errors.</summary>
internal sealed record MessageRecord(string RoleField, string ContentField, string Role, string Content)
{
    /// <summary>A message given as a plain text field (a CSV column, a TRL string): the field names both.</summary>
    public static MessageRecord FromText(string field, string role, string content) => new(field, field, role, content);

    /// <summary>The message at <paramref name="item"/> of a JSON list ("messages[2]").</summary>
    public static MessageRecord FromList(string item, string role, string content) => new(item + ".role", item + ".content", role, content);
}

/// <summary>A response: <see cref="Field"/> names it ("chosen", "responseA"), <see cref="TextField"/> its text.</summary>
internal sealed record ResponseRecord(
    string Field, string TextField, string Text, string? Origin = null, string? Model = null, string? Run = null, string? EditedFromPairId = null);

internal sealed record JudgmentRecord(
    string Field, string Id, string AnnotatorId, string Verdict, string? Strength, string? Rationale,
    string? ShownOrder, double? SecondsSpent, string? CreatedAt, bool IsFinal);

/// <summary>The workspace line of a full-fidelity file.</summary>
internal sealed record WorkspaceHeader(
    int Line, string? Language, string? Guidelines, int? OverlapTarget, IReadOnlyList<CategoryHeader> Categories);

internal sealed record CategoryHeader(string Name, string Description, int SftTarget, int PairTarget);

/// <summary>Everything read from one file: its rows, its header (full format) and the problems found.</summary>
internal sealed class ImportFile(string fileName)
{
    public string FileName { get; } = fileName;
    public List<ImportRecord> Records { get; } = [];
    public List<ImportError> Errors { get; } = [];
    public WorkspaceHeader? Header { get; set; }

    public void Error(int line, string field, string message) => Errors.Add(new(FileName, line, field, message));
}
