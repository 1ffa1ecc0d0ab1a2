using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnnotateDpo.Training.Models;

/// <summary>The model families this runtime implements, named after their Hugging Face architecture class.</summary>
public enum ModelArchitecture
{
    Llama,
    Qwen2,
    Mistral,
    Gpt2,
}

public sealed record RopeScaling
{
    [JsonPropertyName("rope_type")] public string? RopeType { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("factor")] public double Factor { get; init; } = 1.0;
    [JsonPropertyName("low_freq_factor")] public double LowFreqFactor { get; init; } = 1.0;
    [JsonPropertyName("high_freq_factor")] public double HighFreqFactor { get; init; } = 4.0;
    [JsonPropertyName("original_max_position_embeddings")] public int OriginalMaxPositionEmbeddings { get; init; } = 8192;

    /// <summary>HF writes the kind as rope_type (newer) or type (older).</summary>
    [JsonIgnore] public string Kind => RopeType ?? Type ?? "default";
}

/// <summary>
/// A Hugging Face config.json for the Llama family (Llama, Qwen2, Mistral) and GPT-2. Fields keep HF's names and
/// defaults; members HF leaves out of one family's config are null. Unknown fields survive a load/save round trip.
/// </summary>
public sealed record HfModelConfig
{
    public static readonly IReadOnlyDictionary<string, ModelArchitecture> SupportedArchitectures =
        new Dictionary<string, ModelArchitecture>
        {
            ["LlamaForCausalLM"] = ModelArchitecture.Llama,
            ["Qwen2ForCausalLM"] = ModelArchitecture.Qwen2,
            ["MistralForCausalLM"] = ModelArchitecture.Mistral,
            ["GPT2LMHeadModel"] = ModelArchitecture.Gpt2,
        };

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    [JsonPropertyName("architectures")] public IReadOnlyList<string> Architectures { get; init; } = [];
    [JsonPropertyName("model_type")] public string? ModelType { get; init; }
    [JsonPropertyName("torch_dtype")] public string? TorchDtype { get; init; }
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("tie_word_embeddings")] public bool? TieWordEmbeddings { get; init; }
    [JsonPropertyName("bos_token_id")] public JsonElement? BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public JsonElement? EosTokenId { get; init; }
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }

    // Llama family
    [JsonPropertyName("hidden_size")] public int? HiddenSize { get; init; }
    [JsonPropertyName("intermediate_size")] public int? IntermediateSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int? NumHiddenLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int? NumAttentionHeads { get; init; }
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; init; }
    [JsonPropertyName("head_dim")] public int? HeadDim { get; init; }
    [JsonPropertyName("rope_theta")] public double? RopeTheta { get; init; }
    [JsonPropertyName("rope_scaling")] public RopeScaling? RopeScaling { get; init; }
    [JsonPropertyName("rms_norm_eps")] public double? RmsNormEps { get; init; }
    [JsonPropertyName("max_position_embeddings")] public int? MaxPositionEmbeddings { get; init; }
    [JsonPropertyName("attention_bias")] public bool? AttentionBias { get; init; }
    [JsonPropertyName("mlp_bias")] public bool? MlpBias { get; init; }
    [JsonPropertyName("hidden_act")] public string? HiddenAct { get; init; }
    [JsonPropertyName("sliding_window")] public int? SlidingWindow { get; init; }
    [JsonPropertyName("use_sliding_window")] public bool? UseSlidingWindow { get; init; }

    // GPT-2
    [JsonPropertyName("n_embd")] public int? NEmbd { get; init; }
    [JsonPropertyName("n_layer")] public int? NLayer { get; init; }
    [JsonPropertyName("n_head")] public int? NHead { get; init; }
    [JsonPropertyName("n_inner")] public int? NInner { get; init; }
    [JsonPropertyName("n_positions")] public int? NPositions { get; init; }
    [JsonPropertyName("layer_norm_epsilon")] public double? LayerNormEpsilon { get; init; }
    [JsonPropertyName("activation_function")] public string? ActivationFunction { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>The architecture named first in <c>architectures</c>; unknown ones are an error listing the supported.</summary>
    [JsonIgnore]
    public ModelArchitecture Architecture
    {
        get
        {
            var name = Architectures.FirstOrDefault()
                ?? throw new NotSupportedException(
                    $"config.json names no architecture; supported: {string.Join(", ", SupportedArchitectures.Keys)}.");
            return SupportedArchitectures.TryGetValue(name, out var architecture)
                ? architecture
                : throw new NotSupportedException(
                    $"Architecture '{name}' is not supported; supported: {string.Join(", ", SupportedArchitectures.Keys)}.");
        }
    }

    [JsonIgnore] public bool IsGpt2 => Architecture == ModelArchitecture.Gpt2;

    // Resolved values with HF's defaults, so the modules need not know which family named what.
    [JsonIgnore] public int Hidden => (IsGpt2 ? NEmbd : HiddenSize) ?? Required("hidden_size / n_embd");
    [JsonIgnore] public int Layers => (IsGpt2 ? NLayer : NumHiddenLayers) ?? Required("num_hidden_layers / n_layer");
    [JsonIgnore] public int Heads => (IsGpt2 ? NHead : NumAttentionHeads) ?? Required("num_attention_heads / n_head");
    [JsonIgnore] public int KeyValueHeads => IsGpt2 ? Heads : NumKeyValueHeads ?? Heads;
    [JsonIgnore] public int HeadSize => IsGpt2 ? Hidden / Heads : HeadDim ?? Hidden / Heads;
    [JsonIgnore] public int Intermediate => (IsGpt2 ? NInner ?? 4 * Hidden : IntermediateSize) ?? Required("intermediate_size");
    [JsonIgnore] public double NormEps => IsGpt2 ? LayerNormEpsilon ?? 1e-5 : RmsNormEps ?? 1e-6;
    [JsonIgnore] public double RopeBase => RopeTheta ?? 10000.0;
    [JsonIgnore] public int MaxPositions => (IsGpt2 ? NPositions : MaxPositionEmbeddings) ?? 2048;

    /// <summary>GPT-2 ties by default; HF's Llama, Qwen2 and Mistral configs do not.</summary>
    [JsonIgnore] public bool TiedEmbeddings => TieWordEmbeddings ?? IsGpt2;

    /// <summary>Qwen2 always has q/k/v biases (and no o_proj bias); Llama and Mistral follow attention_bias.</summary>
    [JsonIgnore] public bool QkvBias => Architecture == ModelArchitecture.Qwen2 || AttentionBias == true;
    [JsonIgnore] public bool OutputProjectionBias => Architecture != ModelArchitecture.Qwen2 && AttentionBias == true;

    /// <summary>
    /// The attention window HF would apply: Mistral's sliding_window, Qwen2's only with use_sliding_window; null
    /// for full causal attention.
    /// </summary>
    [JsonIgnore]
    public int? AttentionWindow => Architecture switch
    {
        ModelArchitecture.Mistral => SlidingWindow,
        ModelArchitecture.Qwen2 when UseSlidingWindow == true => SlidingWindow,
        _ => null,
    };

    public static HfModelConfig Parse(string json, string source = "config.json") =>
        JsonSerializer.Deserialize<HfModelConfig>(json, JsonOptions)
            ?? throw new InvalidDataException($"{source} is empty.");

    public static HfModelConfig Load(string path) => Parse(File.ReadAllText(path), path);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private int Required(string field) =>
        throw new InvalidDataException($"config.json for {Architectures.FirstOrDefault()} lacks {field}.");
}
