namespace AnnotateDpo.Core.Import;

/// <summary>What a file holds when its shape alone does not say.</summary>
public enum ImportKind { Sft, Pairs }

public sealed record ImportOptions
{
    /// <summary>
    /// Decides rows whose shape fits both kinds (a CSV header with both <c>response</c> and <c>chosen</c>, a JSONL row
    /// with both <c>messages</c> and <c>chosen</c>); rows that plainly are the other kind are then errors.
    /// Default null: each row's shape decides, and an ambiguous row is an error.
    /// </summary>
    public ImportKind? Kind { get; init; }

    /// <summary>Keep rows whose content (after normalisation) already exists. Default false: they are skipped and listed.</summary>
    public bool AllowDuplicates { get; init; }

    /// <summary>
    /// Import Hugging Face and CSV rows uncurated: SFT examples as Draft, pairs without the import judgment.
    /// Full-fidelity files keep the statuses and judgments they record either way. Default false.
    /// </summary>
    public bool AsDraft { get; init; }

    /// <summary>The language of a workspace the import creates. Default null: the full-fidelity file's, else "en".</summary>
    public string? Language { get; init; }

    /// <summary>Receives the number of rows processed (written or skipped) so far. Default null.</summary>
    public IProgress<int>? Progress { get; init; }
}
