using System.ComponentModel.DataAnnotations;

namespace AnnotateDpo.Training.Trainers;

/// <summary>
/// How <see cref="Trainer"/> runs, whatever the objective. Defaults follow TRL's SFT and DPO configs where they agree
/// (AdamW, β₂ = 0.999, clip 1.0); the learning rate suits LoRA on a small model.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training set; ignored when <see cref="MaxSteps"/> is set. Default: 1.</summary>
    [Range(0.0001, 10_000)] public double Epochs { get; init; } = 1;

    /// <summary>Optimizer steps to run; null: as many as <see cref="Epochs"/> take. Default: null.</summary>
    [Range(1, 10_000_000)] public int? MaxSteps { get; init; }

    /// <summary>Samples (SFT) or pairs (DPO) per forward pass. Default: 4.</summary>
    [Range(1, 4096)] public int BatchSize { get; init; } = 4;

    /// <summary>Forward passes whose gradients make one optimizer step. Default: 1.</summary>
    [Range(1, 4096)] public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Peak learning rate, reached after <see cref="WarmupSteps"/>. Default: 1e-4.</summary>
    [Range(1e-9, 1.0)] public double LearningRate { get; init; } = 1e-4;

    /// <summary>The cosine schedule decays to LearningRate × this at the last step. Default: 0.</summary>
    [Range(0.0, 1.0)] public double MinLearningRateRatio { get; init; }

    [Range(0, 10_000_000)] public int WarmupSteps { get; init; }

    /// <summary>AdamW decoupled weight decay on weights of two or more dimensions only. Default: 0.</summary>
    [Range(0.0, 10.0)] public double WeightDecay { get; init; }

    [Range(0.0, 0.999999)] public double Beta1 { get; init; } = 0.9;
    [Range(0.0, 0.999999)] public double Beta2 { get; init; } = 0.999;

    /// <summary>Global gradient-norm clip; 0 turns clipping off (grad_norm is still reported). Default: 1.0.</summary>
    [Range(0.0, 1e6)] public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Seeds the data order and torch's generator (LoRA dropout).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Shuffle the training set each epoch (seeded). Default: true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Torch intra-op threads; null: leave as set. A fixed seed and thread count give identical runs.</summary>
    [Range(1, 1024)] public int? Threads { get; init; }

    /// <summary>Evaluate before training, every this many steps and after the last; 0: never. Default: 0.</summary>
    [Range(0, 10_000_000)] public int EvalEvery { get; init; }

    /// <summary>Samples or pairs per eval forward pass. Default: 8.</summary>
    [Range(1, 4096)] public int EvalBatchSize { get; init; } = 8;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
            throw new ArgumentException(string.Join(" ", results.Select(r => r.ErrorMessage)));
    }
}
