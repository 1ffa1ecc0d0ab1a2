namespace AnnotateDpo.Core.Domain;

public enum ResponseOrigin { Human, Model, Edited }

public sealed class PairResponse
{
    public required string Text { get; set; }
    public ResponseOrigin Origin { get; set; } = ResponseOrigin.Human;
    /// <summary>The model that generated it, when <see cref="Origin"/> is Model.</summary>
    public string? Model { get; set; }
    /// <summary>The training run or generation batch that produced it.</summary>
    public string? Run { get; set; }
    /// <summary>The sampling settings it was generated with (temperature, top-p, …), when <see cref="Origin"/> is Model.</summary>
    public string? Settings { get; set; }
    /// <summary>The pair whose response this one was edited from, when <see cref="Origin"/> is Edited.</summary>
    public string? EditedFromPairKey { get; set; }
}

/// <summary>A prompt and two candidate responses, judged by one or more annotators.</summary>
public sealed class PreferencePair
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Key { get; set; }
    public long? CategoryId { get; set; }
    public Category? Category { get; set; }
    public List<ChatMessage> Prompt { get; set; } = [];
    public required PairResponse ResponseA { get; set; }
    public required PairResponse ResponseB { get; set; }
    public List<string> Tags { get; set; } = [];
    public required string AuthorId { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The file an imported row came from, and its 1-based line (CSV: record) number.</summary>
    public string? SourceFile { get; set; }
    public int? SourceLine { get; set; }
    public required string ContentHash { get; set; }

    public List<Judgment> Judgments { get; set; } = [];
}
