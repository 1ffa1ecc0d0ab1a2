using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnnotateDpo.Training.Lora;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>The stages a run can have, in the order they run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingStage>))]
public enum TrainingStage
{
    [JsonStringEnumMemberName("sft")] Sft,
    [JsonStringEnumMemberName("dpo")] Dpo,
}

/// <summary>
/// The fully resolved settings of one SFT → DPO run (preset plus overrides), saved as <c>config.json</c> in the run
/// folder so that every run can be repeated and compared.
/// </summary>
public sealed record TrainingRunConfig
{
    public const string FileName = "config.json";

    /// <summary>More answers per eval pass would make the evals, not the steps, the run's cost.</summary>
    public const int MaxEvalSamples = 16;

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonPropertyName("run_id")] public required string RunId { get; init; }

    /// <summary>The Hugging Face folder of the base model (weights, config and tokenizer files).</summary>
    [JsonPropertyName("model")] public required string ModelDirectory { get; init; }

    /// <summary>The run folder: config.json, run.json, metrics.jsonl, eval_pairs.jsonl, samples.jsonl, sft/, dpo/.</summary>
    [JsonPropertyName("output")] public required string OutputDirectory { get; init; }

    [JsonPropertyName("preset")] public string Preset { get; init; } = TrainingPresets.Default;

    [JsonPropertyName("stages")] public IReadOnlyList<TrainingStage> Stages { get; init; } = [TrainingStage.Sft, TrainingStage.Dpo];

    /// <summary>LoRA settings; null: full fine-tuning.</summary>
    [JsonPropertyName("lora")] public LoraSettings? Lora { get; init; }

    [JsonPropertyName("sft")] public StageSettings Sft { get; init; } = new();

    [JsonPropertyName("dpo")] public StageSettings Dpo { get; init; } = new();

    [JsonPropertyName("preference_loss")] public PreferenceLossSettings Loss { get; init; } = new();

    [JsonPropertyName("seed")] public int Seed { get; init; } = 42;

    /// <summary>Write a checkpoint every this many optimizer steps of a stage; 0: never; null: about four per stage.</summary>
    [JsonPropertyName("checkpoint_steps")] public int? CheckpointSteps { get; init; }

    /// <summary>Free disk space (MiB) a checkpoint must leave; the run fails with a message rather than fill the disk.</summary>
    [JsonPropertyName("min_free_disk_mb")] public long MinFreeDiskMb { get; init; } = 256;

    /// <summary>What to do with a sample longer than the model's context: truncate it (counted in run.json's warnings) or reject the run.</summary>
    [JsonPropertyName("sequence_overflow")] public SequenceOverflow SequenceOverflow { get; init; } = SequenceOverflow.Truncate;

    /// <summary>Fixed eval prompts the model answers (greedily) at every eval pass, into samples.jsonl; 0: none.</summary>
    [JsonPropertyName("eval_samples")] public int EvalSamples { get; init; } = 3;

    /// <summary>Most tokens of each of those answers.</summary>
    [JsonPropertyName("eval_sample_max_new_tokens")] public int EvalSampleMaxNewTokens { get; init; } = 64;

    /// <summary>Torch intra-op threads; null: one per core.</summary>
    [JsonPropertyName("threads")] public int? Threads { get; init; }

    /// <summary>Chat format name (chatml, llama3, plain); null: detected from the tokenizer's chat template.</summary>
    [JsonPropertyName("chat_format")] public string? ChatFormat { get; init; }

    /// <summary>Provenance, filled in by the caller (the CLI or the web app) from the dataset snapshot.</summary>
    [JsonPropertyName("workspace")] public string? Workspace { get; init; }

    [JsonPropertyName("snapshot_id")] public long? SnapshotId { get; init; }

    [JsonPropertyName("snapshot_hash")] public string? SnapshotHash { get; init; }

    public bool Runs(TrainingStage stage) => Stages.Contains(stage);

    public StageSettings SettingsOf(TrainingStage stage) => stage == TrainingStage.Sft ? Sft : Dpo;

    /// <summary>The checkpoint interval of a stage of <paramref name="totalSteps"/> steps (0: none).</summary>
    public int CheckpointEvery(int totalSteps) => CheckpointSteps ?? Math.Max(1, (int)Math.Ceiling(totalSteps / 4.0));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RunId) || RunId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"The run id '{RunId}' must be a non-empty file name.");
        if (string.IsNullOrWhiteSpace(ModelDirectory))
            throw new ArgumentException("The model folder is not set.");
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new ArgumentException("The run folder is not set.");
        if (Stages.Count == 0 || Stages.Distinct().Count() != Stages.Count || !Stages.SequenceEqual(Stages.Order()))
            throw new ArgumentException("stages must name sft, dpo or both, each once, in the order sft,dpo.");
        if (Threads is < 1)
            throw new ArgumentException($"threads must be at least 1; it is {Threads}.");
        if (CheckpointSteps is < 0)
            throw new ArgumentException($"checkpoint_steps must be 0 (none) or more; it is {CheckpointSteps}.");
        if (EvalSamples is < 0 or > MaxEvalSamples)
            throw new ArgumentException($"eval_samples must be between 0 and {MaxEvalSamples}; it is {EvalSamples}.");
        if (EvalSampleMaxNewTokens < 1)
            throw new ArgumentException($"eval_sample_max_new_tokens must be at least 1; it is {EvalSampleMaxNewTokens}.");
        if (MinFreeDiskMb < 0)
            throw new ArgumentException($"min_free_disk_mb must not be negative; it is {MinFreeDiskMb}.");
        Lora?.Validate();
        Sft.Validate("sft");
        Dpo.Validate("dpo");
        _ = Loss.ToOptions();
    }

    public static TrainingStage ParseStage(string name) => name.Trim().ToLowerInvariant() switch
    {
        "sft" => TrainingStage.Sft,
        "dpo" => TrainingStage.Dpo,
        _ => throw new ArgumentException($"Unknown stage '{name}'; valid stages are: sft, dpo."),
    };

    /// <summary>Parses a comma-separated list such as <c>sft,dpo</c>.</summary>
    public static IReadOnlyList<TrainingStage> ParseStages(string names) =>
        names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseStage).ToList();

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static TrainingRunConfig Load(string path) =>
        JsonSerializer.Deserialize<TrainingRunConfig>(File.ReadAllText(path), JsonOptions)
        ?? throw new InvalidDataException($"{path} holds no run config.");
}

/// <summary>LoRA adapter settings of a run (PEFT's names).</summary>
public sealed record LoraSettings
{
    [JsonPropertyName("r")] public int Rank { get; init; } = 16;
    [JsonPropertyName("lora_alpha")] public double Alpha { get; init; } = 32;
    [JsonPropertyName("lora_dropout")] public double Dropout { get; init; } = 0.05;

    /// <summary>Projections to adapt; null: every attention and MLP projection of the architecture.</summary>
    [JsonPropertyName("target_modules")] public IReadOnlyList<string>? TargetModules { get; init; }

    public LoraConfig ToLoraConfig(HfModelConfig model)
    {
        var config = LoraConfig.For(model, Rank, Alpha, Dropout);
        return TargetModules is null ? config : config with { TargetModules = TargetModules };
    }

    public void Validate()
    {
        if (Rank < 1)
            throw new ArgumentException($"lora r must be at least 1; it is {Rank}.");
        if (!(Alpha > 0))
            throw new ArgumentException($"lora_alpha must be positive; it is {Alpha}.");
        if (Dropout is < 0 or >= 1)
            throw new ArgumentException($"lora_dropout must be in [0, 1); it is {Dropout}.");
    }
}

/// <summary>The optimisation settings of one stage.</summary>
public sealed record StageSettings
{
    [JsonPropertyName("num_train_epochs")] public double Epochs { get; init; } = 2;

    /// <summary>Optimizer steps; null: as many as <see cref="Epochs"/> take.</summary>
    [JsonPropertyName("max_steps")] public int? MaxSteps { get; init; }

    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 5e-6;

    [JsonPropertyName("per_device_train_batch_size")] public int BatchSize { get; init; } = 4;

    [JsonPropertyName("gradient_accumulation_steps")] public int GradientAccumulationSteps { get; init; } = 2;

    /// <summary>Share of the steps spent warming the learning rate up, as TRL's warmup_ratio.</summary>
    [JsonPropertyName("warmup_ratio")] public double WarmupRatio { get; init; } = 0.1;

    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; }

    /// <summary>Evaluate every this many steps (and before the first and after the last); 0: about 5 evals a stage.</summary>
    [JsonPropertyName("eval_steps")] public int EvalSteps { get; init; }

    [JsonPropertyName("per_device_eval_batch_size")] public int EvalBatchSize { get; init; } = 8;

    public void Validate(string stage)
    {
        if (MaxSteps is null && !(Epochs > 0))
            throw new ArgumentException($"{stage} epochs must be positive; it is {Epochs}.");
        if (WarmupRatio is < 0 or > 1)
            throw new ArgumentException($"{stage} warmup_ratio must be in [0, 1]; it is {WarmupRatio}.");
        if (EvalSteps < 0)
            throw new ArgumentException($"{stage} eval_steps must not be negative; it is {EvalSteps}.");
        ToTrainerOptions(1, 0, null).Validate();
    }

    /// <summary>The trainer's options for <paramref name="trainCount"/> samples, with warmup and eval cadence resolved.</summary>
    public TrainerOptions ToTrainerOptions(int trainCount, int seed, int? threads)
    {
        var steps = TotalSteps(trainCount);
        return new TrainerOptions
        {
            Epochs = Epochs,
            MaxSteps = MaxSteps,
            BatchSize = BatchSize,
            GradientAccumulationSteps = GradientAccumulationSteps,
            LearningRate = LearningRate,
            WarmupSteps = (int)Math.Round(WarmupRatio * steps, MidpointRounding.AwayFromZero),
            WeightDecay = WeightDecay,
            Seed = seed,
            Threads = threads,
            EvalEvery = EvalSteps > 0 ? EvalSteps : Math.Max(1, (int)Math.Ceiling(steps / 5.0)),
            EvalBatchSize = EvalBatchSize,
        };
    }

    /// <summary>Optimizer steps for <paramref name="trainCount"/> samples, as <see cref="Trainer"/> counts them.</summary>
    public int TotalSteps(int trainCount) =>
        MaxSteps ?? Math.Max(1, (int)Math.Ceiling(Epochs * trainCount / (BatchSize * GradientAccumulationSteps)));
}

/// <summary>The DPO stage's preference loss (TRL's names).</summary>
public sealed record PreferenceLossSettings
{
    [JsonPropertyName("loss_type")] public string Type { get; init; } = "sigmoid";
    [JsonPropertyName("beta")] public double Beta { get; init; } = 0.1;
    [JsonPropertyName("label_smoothing")] public double LabelSmoothing { get; init; }
    [JsonPropertyName("rpo_alpha")] public double RpoAlpha { get; init; }
    [JsonPropertyName("dpop_lambda")] public double DpopLambda { get; init; }

    /// <summary>The loss options; throws <see cref="ArgumentException"/> on an unknown name or invalid value.</summary>
    public PreferenceLossOptions ToOptions()
    {
        var options = new PreferenceLossOptions
        {
            Type = PreferenceLoss.Parse(Type),
            Beta = Beta,
            LabelSmoothing = LabelSmoothing,
            RpoAlpha = RpoAlpha,
            DpopLambda = DpopLambda,
        };
        options.Validate();
        return options;
    }
}
