using System.Text.Json;
using System.Text.Json.Serialization;
using AnnotateDpo.Training.Models;

namespace AnnotateDpo.Training.Lora;

/// <summary>
/// A LoRA adapter's settings (Hu et al., 2021), serialised as PEFT's <c>adapter_config.json</c> so that
/// <c>PeftModel.from_pretrained</c> loads what we save, and we load what PEFT saves.
/// </summary>
public sealed record LoraConfig
{
    public const string FileName = "adapter_config.json";

    /// <summary>The projections of the Llama family (Llama, Qwen2, Mistral) that PEFT users usually adapt.</summary>
    public static readonly IReadOnlyList<string> LlamaTargetModules =
        ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>GPT-2's attention and MLP projections (c_proj matches both the attention and the MLP one).</summary>
    public static readonly IReadOnlyList<string> Gpt2TargetModules = ["c_attn", "c_proj", "c_fc"];

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    [JsonPropertyName("peft_type")] public string PeftType { get; init; } = "LORA";
    [JsonPropertyName("task_type")] public string TaskType { get; init; } = "CAUSAL_LM";

    /// <summary>The rank r of A (r × in) and B (out × r). Default: 16.</summary>
    [JsonPropertyName("r")] public int Rank { get; init; } = 16;

    /// <summary>α: the update B·A is scaled by α / r (α / √r with <see cref="UseRsLora"/>). Default: 32.</summary>
    [JsonPropertyName("lora_alpha")] public double Alpha { get; init; } = 32;

    /// <summary>Dropout on the adapter's input during training. Default: 0.05.</summary>
    [JsonPropertyName("lora_dropout")] public double Dropout { get; init; } = 0.05;

    /// <summary>Module names (the last part of the path, e.g. q_proj) to wrap.</summary>
    [JsonPropertyName("target_modules")] public IReadOnlyList<string> TargetModules { get; init; } = LlamaTargetModules;

    [JsonPropertyName("base_model_name_or_path")] public string? BaseModelNameOrPath { get; init; }
    [JsonPropertyName("bias")] public string Bias { get; init; } = "none";

    /// <summary>True for GPT-2, whose HF checkpoint stores these weights as Conv1D (in, out); the adapters are the same.</summary>
    [JsonPropertyName("fan_in_fan_out")] public bool FanInFanOut { get; init; }

    [JsonPropertyName("inference_mode")] public bool InferenceMode { get; init; } = true;

    /// <summary>Rank-stabilised scaling α / √r (Kalajdzievski, 2023). Default: false.</summary>
    [JsonPropertyName("use_rslora")] public bool UseRsLora { get; init; }

    [JsonPropertyName("modules_to_save")] public IReadOnlyList<string>? ModulesToSave { get; init; }
    [JsonPropertyName("layers_to_transform")] public JsonElement? LayersToTransform { get; init; }
    [JsonPropertyName("rank_pattern")] public Dictionary<string, JsonElement> RankPattern { get; init; } = [];
    [JsonPropertyName("alpha_pattern")] public Dictionary<string, JsonElement> AlphaPattern { get; init; } = [];

    /// <summary>Fields of a PEFT config that we keep but do not interpret (peft_version, revision, …).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>What each adapter's update is multiplied by.</summary>
    [JsonIgnore] public double Scale => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    /// <summary>The usual targets for an architecture, with fan_in_fan_out set for GPT-2.</summary>
    public static LoraConfig For(HfModelConfig model, int rank = 16, double alpha = 32, double dropout = 0.05) => new()
    {
        Rank = rank,
        Alpha = alpha,
        Dropout = dropout,
        TargetModules = model.IsGpt2 ? Gpt2TargetModules : LlamaTargetModules,
        FanInFanOut = model.IsGpt2,
    };

    /// <summary>Throws naming the first setting this implementation cannot honour.</summary>
    public void Validate(string source = FileName)
    {
        if (PeftType != "LORA")
            throw new NotSupportedException($"{source}: peft_type '{PeftType}' is not supported; supported: LORA.");
        if (Rank < 1)
            throw new InvalidDataException($"{source}: r must be at least 1, not {Rank}.");
        if (Dropout is < 0 or >= 1)
            throw new InvalidDataException($"{source}: lora_dropout must be in [0, 1), not {Dropout}.");
        if (TargetModules.Count == 0)
            throw new InvalidDataException($"{source}: target_modules is empty.");
        if (Bias != "none")
            throw new NotSupportedException($"{source}: bias '{Bias}' is not supported; supported: none.");
        if (RankPattern.Count > 0 || AlphaPattern.Count > 0)
            throw new NotSupportedException($"{source}: rank_pattern and alpha_pattern are not supported.");
        if (ModulesToSave is { Count: > 0 })
            throw new NotSupportedException($"{source}: modules_to_save ({string.Join(", ", ModulesToSave)}) is not supported.");
        if (LayersToTransform is { ValueKind: not JsonValueKind.Null })
            throw new NotSupportedException($"{source}: layers_to_transform is not supported.");
        foreach (var flag in (string[])["use_dora", "lora_bias"])
        {
            if (Extra?.GetValueOrDefault(flag) is { ValueKind: JsonValueKind.True })
                throw new NotSupportedException($"{source}: {flag} true is not supported.");
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static LoraConfig Parse(string json, string source = FileName)
    {
        LoraConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<LoraConfig>(json, JsonOptions);
        }
        catch (JsonException error)
        {
            // e.g. target_modules given as a regular expression or "all-linear" rather than a list of names.
            throw new InvalidDataException($"{source}: {error.Path} cannot be read here ({error.Message}).", error);
        }
        if (config is null)
            throw new InvalidDataException($"{source} is empty.");
        config.Validate(source);
        return config;
    }

    public static LoraConfig Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{folder}' has no {FileName}; it is not a PEFT adapter folder.", path);
        return Parse(File.ReadAllText(path), path);
    }
}
