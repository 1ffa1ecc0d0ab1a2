using System.ComponentModel.DataAnnotations;

namespace AnnotateDpo.Training.Pretraining;

/// <summary>
/// One from-scratch pretraining run: a byte-level BPE tokenizer trained on the corpus, then a small Llama-architecture
/// model trained on next-token prediction. The defaults make a ~4M-parameter model that fits in 20 MB (fp32).
/// </summary>
public sealed record PretrainOptions
{
    /// <summary>Folder of UTF-8 .txt files (searched recursively); each file is one document.</summary>
    [Required] public required string CorpusDirectory { get; init; }

    /// <summary>Where the Hugging Face model folder is written (created; existing model files are replaced).</summary>
    [Required] public required string OutputDirectory { get; init; }

    /// <summary>Optional folder of .jsonl files with SFT-like rows (<c>messages</c>, or <c>prompt</c>/<c>completion</c>,
    /// <c>instruction</c>/<c>output</c>); each row is rendered in ChatML and mixed into the training stream. Default: none.</summary>
    public string? ChatDirectory { get; init; }

    /// <summary>Upper bound on the tokenizer's vocabulary (special tokens + 256 bytes + merges). Default: 4096.</summary>
    [Range(259, 65536)] public int VocabSize { get; init; } = 4096;

    [Range(16, 8192)] public int Hidden { get; init; } = 256;
    [Range(1, 128)] public int Layers { get; init; } = 4;
    [Range(1, 128)] public int Heads { get; init; } = 4;
    [Range(1, 128)] public int KeyValueHeads { get; init; } = 2;
    [Range(1, 65536)] public int Intermediate { get; init; } = 688;

    /// <summary>The model's context length (max_position_embeddings). Default: 512.</summary>
    [Range(8, 131072)] public int ContextLength { get; init; } = 512;

    /// <summary>Tokens per training sequence; at most <see cref="ContextLength"/>. Default: 128.</summary>
    [Range(2, 131072)] public int SequenceLength { get; init; } = 128;

    [Range(1, 4096)] public int BatchSize { get; init; } = 8;
    [Range(1, 10_000_000)] public int Steps { get; init; } = 400;

    /// <summary>Peak learning rate, reached after <see cref="WarmupSteps"/>. Default: 2e-3.</summary>
    [Range(1e-7, 1.0)] public double LearningRate { get; init; } = 2e-3;

    /// <summary>The cosine schedule decays to LearningRate × this. Default: 0.1.</summary>
    [Range(0.0, 1.0)] public double MinLearningRateRatio { get; init; } = 0.1;

    [Range(0, 10_000_000)] public int WarmupSteps { get; init; } = 40;

    /// <summary>AdamW decoupled weight decay, applied to 2-D weights only (not norms or biases). Default: 0.1.</summary>
    [Range(0.0, 10.0)] public double WeightDecay { get; init; } = 0.1;

    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;

    /// <summary>Global gradient-norm clip; 0 turns clipping off. Default: 1.0.</summary>
    [Range(0.0, 1e6)] public double GradientClip { get; init; } = 1.0;

    public int Seed { get; init; } = 1234;

    /// <summary>Torch intra-op threads; null: one per core. Results are reproducible for a fixed seed and thread count.</summary>
    [Range(1, 1024)] public int? Threads { get; init; }

    /// <summary>Share of the token stream (its end) held out to measure eval loss before and after training. Default: 0.05.</summary>
    [Range(0.0, 0.5)] public double EvalFraction { get; init; } = 0.05;

    /// <summary>Report progress every this many steps (and on the last). Default: 10.</summary>
    [Range(1, 1_000_000)] public int LogEvery { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        var context = new ValidationContext(this);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, context, results, validateAllProperties: true))
        {
            throw new ArgumentException(string.Join(" ", results.Select(r => r.ErrorMessage)));
        }
        if (Hidden % Heads != 0)
        {
            throw new ArgumentException($"Hidden ({Hidden}) must be a multiple of Heads ({Heads}).");
        }
        if (Heads % KeyValueHeads != 0)
        {
            throw new ArgumentException($"Heads ({Heads}) must be a multiple of KeyValueHeads ({KeyValueHeads}).");
        }
        if ((Hidden / Heads) % 2 != 0)
        {
            throw new ArgumentException($"The head size Hidden/Heads ({Hidden / Heads}) must be even for rotary embeddings.");
        }
        if (SequenceLength > ContextLength)
        {
            throw new ArgumentException($"SequenceLength ({SequenceLength}) must not exceed ContextLength ({ContextLength}).");
        }
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1)
        {
            throw new ArgumentException($"Beta1 ({Beta1}) and Beta2 ({Beta2}) must be in [0, 1).");
        }
    }
}
