namespace AnnotateDpo.Core.Curation;

/// <summary>
/// A pair sent back to the managers' review queue, with why: a training run's diagnostics found it displaced,
/// suppressed, near-identical or won on length. Closed by the manager who dealt with it (a final verdict, or
/// dismissed as fine).
/// </summary>
public sealed class PairReviewRequest
{
    public const int ReasonMaxLength = 400;
    public const int SourceMaxLength = 200;

    public long Id { get; set; }
    public long PairId { get; set; }

    /// <summary>What the sender saw, e.g. the diagnostic flags.</summary>
    public required string Reason { get; set; }

    /// <summary>Where it came from, e.g. the run's key.</summary>
    public required string Source { get; set; }

    public required string RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    public string? ClosedBy { get; set; }
    public DateTime? ClosedAt { get; set; }

    public bool IsOpen => ClosedAt is null;
}
