namespace AnnotateDpo.Training.Generation;

/// <summary>
/// How <see cref="TextGenerator"/> picks and stops, with Hugging Face's names and defaults
/// (<c>GenerationConfig</c>): greedy unless <see cref="DoSample"/>.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate. Default: 256.</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>Sample from the distribution; false picks the most likely token. Default: false.</summary>
    public bool DoSample { get; init; }

    /// <summary>Divides the logits before sampling; 0 means greedy. Default: 1.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Sample only from the smallest set of tokens whose probability reaches this (nucleus). Default: 1 (off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Sample only from the k most likely tokens; 0 = off. Default: 0.</summary>
    public int TopK { get; init; }

    /// <summary>
    /// Penalises tokens already in the prompt or output (CTRL, Keskar et al. 2019): positive logits are divided by it,
    /// negative ones multiplied. 1 = off. Default: 1.
    /// </summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Seed of the sampling generator, so one seed gives one sample; null draws a fresh seed. Default: null.</summary>
    public long? Seed { get; init; }

    /// <summary>Token ids that end generation (kept in the ids, left out of the text). Default: none.</summary>
    public IReadOnlyCollection<int> EosTokenIds { get; init; } = [];

    /// <summary>Texts that end generation when they appear in the decoded output; the text stops before them. Default: none.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Reuse keys and values of earlier positions; false recomputes the whole sequence each step. Default: true.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Whether this configuration samples rather than picking the arg-max.</summary>
    public bool Samples => DoSample && Temperature > 0;

    /// <summary>Throws naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "MaxNewTokens must be at least 1.");
        if (Temperature < 0 || double.IsNaN(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be 0 or more.");
        if (TopP is <= 0 or > 1 || double.IsNaN(TopP))
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1].");
        if (TopK < 0)
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "TopK must be 0 (off) or more.");
        if (RepetitionPenalty <= 0 || double.IsNaN(RepetitionPenalty))
            throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "RepetitionPenalty must be greater than 0.");
        if (StopStrings.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Stop strings must not be empty.", nameof(StopStrings));
    }
}

/// <summary>One generated token and the text it added (empty while a multi-byte character is incomplete).</summary>
public sealed record GeneratedToken(int TokenId, string TextDelta);

/// <summary>Why generation ended.</summary>
public enum StopReason
{
    MaxNewTokens,
    EndOfSequence,
    StopString,

    /// <summary>The sequence reached the model's maximum positions.</summary>
    MaxLength,
}

/// <summary>The generated ids (without the prompt), their text, and why generation ended.</summary>
public sealed record GenerationResult(IReadOnlyList<int> TokenIds, string Text, StopReason StopReason);
