namespace AnnotateDpo.Training.Pipeline;

/// <summary>Named starting points for a run; command-line or UI overrides are applied on top.</summary>
public static class TrainingPresets
{
    /// <summary>
    /// For the tiny demo model on a 2-core CPU: full fine-tuning (3.95 M parameters need no adapter), SFT 2 epochs at
    /// 1e-3, DPO 2 epochs at 5e-5 with β = 0.1, batch 8; SFT + DPO on the seed workspace in a few minutes.
    /// </summary>
    public const string Demo = "demo";

    /// <summary>
    /// For a real small model: LoRA r = 16, α = 32 at 5e-6 (5e-7 with full fine-tuning), 2 epochs, 10 % warmup,
    /// effective batch 8 (4 × 2 accumulated), β = 0.1.
    /// </summary>
    public const string Default = "default";

    public static IReadOnlyList<string> Names { get; } = [Demo, Default];

    public const double DefaultLoraLearningRate = 5e-6;
    public const double DefaultFullLearningRate = 5e-7;

    /// <summary>The preset <paramref name="name"/> for a run; an unknown name is an error listing the valid ones.</summary>
    /// <param name="lora">Override of the preset's choice between LoRA (true) and full fine-tuning (false).</param>
    public static TrainingRunConfig Create(string name, string runId, string modelDirectory, string outputDirectory, bool? lora = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.Trim().ToLowerInvariant())
        {
            case Demo:
                var demoLora = lora ?? false;
                return new TrainingRunConfig
                {
                    RunId = runId, ModelDirectory = modelDirectory, OutputDirectory = outputDirectory, Preset = Demo,
                    Lora = demoLora ? new LoraSettings() : null,
                    Sft = new StageSettings { Epochs = 2, LearningRate = 1e-3, BatchSize = 8, GradientAccumulationSteps = 1, WarmupRatio = 0.1 },
                    Dpo = new StageSettings { Epochs = 2, LearningRate = 5e-5, BatchSize = 8, GradientAccumulationSteps = 1, WarmupRatio = 0.1 },
                    Loss = new PreferenceLossSettings { Beta = 0.1 },
                };
            case Default:
                var defaultLora = lora ?? true;
                var learningRate = defaultLora ? DefaultLoraLearningRate : DefaultFullLearningRate;
                var stage = new StageSettings { Epochs = 2, LearningRate = learningRate, BatchSize = 4, GradientAccumulationSteps = 2, WarmupRatio = 0.1 };
                return new TrainingRunConfig
                {
                    RunId = runId, ModelDirectory = modelDirectory, OutputDirectory = outputDirectory, Preset = Default,
                    Lora = defaultLora ? new LoraSettings { Rank = 16, Alpha = 32, Dropout = 0.05 } : null,
                    Sft = stage,
                    Dpo = stage,
                    Loss = new PreferenceLossSettings { Beta = 0.1 },
                };
            default:
                throw new ArgumentException($"Unknown preset '{name}'; valid presets are: {string.Join(", ", Names)}.");
        }
    }
}
