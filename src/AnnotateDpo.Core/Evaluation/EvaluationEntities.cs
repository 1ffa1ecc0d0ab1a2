using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Evaluation;

/// <summary>A prompt a manager keeps out of every training set, so that evaluations can ask models something they never saw.</summary>
public sealed class HeldOutPrompt
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Key { get; set; }
    public string? Category { get; set; }
    public List<ChatMessage> Prompt { get; set; } = [];
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// Two or more models answering the same prompts (a snapshot's eval prompts and the workspace's held-out prompts),
/// their answers compared blind by annotators. Prompts are copies, so later edits never change an evaluation.
/// </summary>
public sealed class ModelEvaluation
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public required string Name { get; set; }
    public long? SnapshotId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public int MaxNewTokens { get; set; } = 128;
    public double Temperature { get; set; } = 0.7;
    public double TopP { get; set; } = 0.9;
    public int Seed { get; set; } = 1;
    /// <summary>When the answers were stored; null until generation has finished.</summary>
    public DateTime? GeneratedAt { get; set; }

    public List<EvaluatedModel> Models { get; set; } = [];
    public List<EvaluationItem> Items { get; set; } = [];
}

/// <summary>A model in an evaluation: its folder and the label the results show (never the judges).</summary>
public sealed class EvaluatedModel
{
    public long Id { get; set; }
    public long EvaluationId { get; set; }
    public int Ordinal { get; set; }
    public required string Label { get; set; }
    public required string Path { get; set; }
}

/// <summary>One prompt of an evaluation, copied from where it came from (<see cref="Source"/>: snapshot or held-out, with its key).</summary>
public sealed class EvaluationItem
{
    public long Id { get; set; }
    public long EvaluationId { get; set; }
    public int Ordinal { get; set; }
    public required string Source { get; set; }
    public string? Category { get; set; }
    public List<ChatMessage> Prompt { get; set; } = [];
    public List<EvaluationAnswer> Answers { get; set; } = [];
}

/// <summary>A model's answer to one evaluation prompt.</summary>
public sealed class EvaluationAnswer
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public long ModelId { get; set; }
    public required string Text { get; set; }
    public int TokenCount { get; set; }
}

public enum ComparisonVerdict { Left, Right, Tie }

/// <summary>
/// One annotator's blind verdict on two models' answers to one prompt. The models shown left and right are recorded,
/// so the randomised order can be audited and the verdict mapped back to models.
/// </summary>
public sealed class EvaluationJudgment
{
    public long Id { get; set; }
    public long EvaluationId { get; set; }
    public long ItemId { get; set; }
    public long LeftModelId { get; set; }
    public long RightModelId { get; set; }
    public required string AnnotatorId { get; set; }
    public ComparisonVerdict Verdict { get; set; }
    public double SecondsSpent { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The preference pair this comparison was added to the pool as, once it was.</summary>
    public long? PoolPairId { get; set; }
}
