namespace AnnotateDpo.Core.Domain;

public enum DatasetSplit { Train, Eval }

/// <summary>
/// An immutable, content-hashed freeze of the approved SFT examples and the resolved preference pairs.
/// Items are copies, so later edits to the live tables never reach a snapshot; training runs refer to snapshots only.
/// </summary>
public sealed class DatasetSnapshot
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    /// <summary>SHA-256 (hex) of the canonical content: items, their splits, the eval fraction and seed.</summary>
    public required string ContentHash { get; set; }
    public double EvalFraction { get; set; }
    public int Seed { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public int ExcludedTies { get; set; }
    public int ExcludedBothBad { get; set; }
    public int ExcludedDisagreements { get; set; }
    public int ExcludedUnjudged { get; set; }

    public List<SnapshotSftItem> SftItems { get; set; } = [];
    public List<SnapshotPairItem> PairItems { get; set; } = [];
}

public sealed class SnapshotSftItem
{
    public long Id { get; set; }
    public long SnapshotId { get; set; }
    public int Ordinal { get; set; }
    public DatasetSplit Split { get; set; }
    public required string SourceKey { get; set; }
    public string? Category { get; set; }
    public List<ChatMessage> Messages { get; set; } = [];
}

public sealed class SnapshotPairItem
{
    public long Id { get; set; }
    public long SnapshotId { get; set; }
    public int Ordinal { get; set; }
    public DatasetSplit Split { get; set; }
    public required string SourceKey { get; set; }
    public string? Category { get; set; }
    public List<ChatMessage> Prompt { get; set; } = [];
    public required string Chosen { get; set; }
    public required string Rejected { get; set; }

    /// <summary>Where the chosen answer came from (a person, a model, an edit), so a snapshot tells on-policy pairs from human-written ones.</summary>
    public ResponseOrigin ChosenOrigin { get; set; } = ResponseOrigin.Human;

    public ResponseOrigin RejectedOrigin { get; set; } = ResponseOrigin.Human;
}
