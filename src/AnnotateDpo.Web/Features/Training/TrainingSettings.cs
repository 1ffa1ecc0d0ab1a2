using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>The presets the page offers; each maps onto the trainer's preset and LoRA choice.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingPreset>))]
public enum TrainingPreset
{
    /// <summary>The trainer's demo preset: full fine-tuning of the tiny model, minutes on a CPU.</summary>
    Demo,

    /// <summary>The trainer's default preset with LoRA r = 16, α = 32 at 5e-6.</summary>
    Lora,

    /// <summary>The trainer's default preset with full fine-tuning at 5e-7.</summary>
    Full,
}

/// <summary>
/// What a manager asked for: a preset, a base model and the advanced overrides (null: the preset's value). Stored as
/// the run's settings JSON and turned into the trainer's command line; the trainer resolves and checks the rest.
/// </summary>
public sealed record TrainingSettings
{
    /// <summary>TRL's loss_type names the trainer accepts (it rejects any other, listing these).</summary>
    public static readonly IReadOnlyList<string> LossTypes = ["sigmoid", "ipo", "hinge", "robust", "sigmoid_norm", "apo_zero", "simpo"];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public TrainingPreset Preset { get; init; } = TrainingPreset.Demo;

    /// <summary>The Hugging Face folder to start from: the demo model, or a finished run's stage folder.</summary>
    public required string BaseModel { get; init; }

    public bool Sft { get; init; } = true;
    public bool Dpo { get; init; } = true;
    public double? Epochs { get; init; }
    public int? MaxSteps { get; init; }
    public double? LearningRate { get; init; }
    public double? Beta { get; init; }
    public string? LossType { get; init; }
    public double? RpoAlpha { get; init; }
    public double? DpopLambda { get; init; }
    public int? Seed { get; init; }

    /// <summary>An earlier run's config.json to start from instead of the preset; null: the preset.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Settings of the config to change last (a run alert's remedy); null: none.</summary>
    public IReadOnlyList<ConfigChange>? Changes { get; init; }

    public string StagesArgument => string.Join(",", new[] { Sft ? "sft" : null, Dpo ? "dpo" : null }.OfType<string>());

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!Sft && !Dpo)
            throw new ArgumentException("Choose at least one stage: SFT, DPO or both.");
        if (string.IsNullOrWhiteSpace(BaseModel) || !Directory.Exists(BaseModel))
            throw new ArgumentException($"The base model folder '{BaseModel}' does not exist.");
        if (Epochs is { } epochs && !(epochs > 0))
            throw new ArgumentException($"Epochs must be positive; it is {epochs}.");
        if (MaxSteps is < 1)
            throw new ArgumentException($"Max steps must be at least 1; it is {MaxSteps}.");
        if (LearningRate is { } lr && !(lr > 0))
            throw new ArgumentException($"The learning rate must be positive; it is {lr}.");
        if (Beta is { } beta && !(beta > 0))
            throw new ArgumentException($"β must be positive; it is {beta}.");
        if (RpoAlpha is < 0)
            throw new ArgumentException($"The RPO α must not be negative; it is {RpoAlpha}.");
        if (DpopLambda is < 0)
            throw new ArgumentException($"The DPOP λ must not be negative; it is {DpopLambda}.");
        if (LossType is { } loss && !LossTypes.Contains(loss))
            throw new ArgumentException($"Unknown loss type '{loss}'; valid loss types are: {string.Join(", ", LossTypes)}.");
        if (ConfigFile is { } file)
        {
            if (!File.Exists(file))
                throw new ArgumentException($"The run config '{file}' to start from does not exist.");
            (Changes ?? []).Aggregate(TrainingRunConfig.Load(file), (config, change) => change.Apply(config)).Validate();
        }
        else if (Changes is { Count: > 0 })
        {
            throw new ArgumentException("Changes to a config need the config file they change.");
        }
    }

    /// <summary>The options of <c>annotatedpo train</c> these settings stand for (model, preset, stages and overrides).</summary>
    public IReadOnlyList<string> ToTrainArguments()
    {
        var arguments = new List<string>
        {
            "--model", BaseModel,
            "--preset", Preset == TrainingPreset.Demo ? "demo" : "default",
            Preset == TrainingPreset.Lora ? "--lora" : "--full",
            "--stages", StagesArgument,
        };
        void Add(string option, double? value)
        {
            if (value is { } given)
                arguments.AddRange([option, given.ToString("R", CultureInfo.InvariantCulture)]);
        }
        Add("--epochs", Epochs);
        Add("--max-steps", MaxSteps);
        Add("--lr", LearningRate);
        Add("--beta", Beta);
        Add("--rpo-alpha", RpoAlpha);
        Add("--dpop-lambda", DpopLambda);
        Add("--seed", Seed);
        if (LossType is { } loss)
            arguments.AddRange(["--loss", loss]);
        if (ConfigFile is { } file)
            arguments.AddRange(["--config", file]);
        foreach (var change in Changes ?? [])
            arguments.AddRange(["--set", $"{change.Setting}={change.Value}"]);
        return arguments;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static TrainingSettings FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingSettings>(json, JsonOptions) ?? throw new InvalidDataException($"The run's settings are empty: {json}");
}
