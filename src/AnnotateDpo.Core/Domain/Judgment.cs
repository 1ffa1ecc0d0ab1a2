namespace AnnotateDpo.Core.Domain;

public enum Verdict { A, B, Tie, BothBad }

public enum VerdictStrength { Slight, Clear, Strong }

/// <summary>Which response was shown on the left: A (order "ab") or B (order "ba").</summary>
public enum ShownOrder { AB, BA }

/// <summary>
/// One annotator's verdict on one pair. Rows are never updated: a changed verdict is a new row whose
/// <see cref="SupersedesId"/> names the one it replaces, and the latest row per annotator and pair counts.
/// </summary>
public sealed class Judgment
{
    /// <summary>The annotator id of verdicts that came with an imported, already-curated file.</summary>
    public const string ImportAnnotator = "import";

    public long Id { get; set; }
    /// <summary>Stable identifier, kept through full-fidelity export and import.</summary>
    public required string Key { get; set; }
    public long PairId { get; set; }
    public required string AnnotatorId { get; set; }
    public Verdict Verdict { get; set; }
    public VerdictStrength? Strength { get; set; }
    public string? Rationale { get; set; }
    public ShownOrder ShownOrder { get; set; }
    public double SecondsSpent { get; set; }
    public DateTime CreatedAt { get; set; }
    public long? SupersedesId { get; set; }
    /// <summary>A manager's final verdict on a disagreement: it decides the pair over all other judgments.</summary>
    public bool IsFinal { get; set; }
}
