using AnnotateDpo.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Hf;

/// <summary>
/// Writes tiny Hugging Face model folders with seeded random weights, for tests and demos where no model hub is
/// reachable. The configs are small but exercise each architecture's features (GQA, head_dim, biases, llama3
/// rope scaling, tied and untied heads).
/// </summary>
public static class TinyModelFactory
{
    public static HfModelConfig Config(ModelArchitecture architecture, int vocabSize = 128) => architecture switch
    {
        ModelArchitecture.Llama => new HfModelConfig
        {
            Architectures = ["LlamaForCausalLM"], ModelType = "llama", VocabSize = vocabSize,
            HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
            // head_dim × heads ≠ hidden_size, as in real models that set head_dim explicitly.
            HeadDim = 32, RopeTheta = 10000, RmsNormEps = 1e-5, MaxPositionEmbeddings = 256, TieWordEmbeddings = true,
            // original_max_position_embeddings = 64 puts the tiny head's wavelengths in all three llama3 bands.
            RopeScaling = new RopeScaling { RopeType = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 64 },
            AttentionBias = false, MlpBias = false, HiddenAct = "silu", BosTokenId = Json(1), EosTokenId = Json(2),
        },
        ModelArchitecture.Qwen2 => new HfModelConfig
        {
            Architectures = ["Qwen2ForCausalLM"], ModelType = "qwen2", VocabSize = vocabSize,
            HiddenSize = 64, IntermediateSize = 160, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
            RopeTheta = 1_000_000, RmsNormEps = 1e-6, MaxPositionEmbeddings = 256, TieWordEmbeddings = true,
            HiddenAct = "silu", BosTokenId = Json(1), EosTokenId = Json(2),
        },
        ModelArchitecture.Mistral => new HfModelConfig
        {
            Architectures = ["MistralForCausalLM"], ModelType = "mistral", VocabSize = vocabSize,
            HiddenSize = 64, IntermediateSize = 96, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 1,
            RopeTheta = 10000, RmsNormEps = 1e-5, MaxPositionEmbeddings = 256, TieWordEmbeddings = false,
            HiddenAct = "silu", BosTokenId = Json(1), EosTokenId = Json(2),
        },
        ModelArchitecture.Gpt2 => new HfModelConfig
        {
            Architectures = ["GPT2LMHeadModel"], ModelType = "gpt2", VocabSize = vocabSize,
            NEmbd = 64, NLayer = 2, NHead = 4, NPositions = 256, LayerNormEpsilon = 1e-5,
            ActivationFunction = "gelu_new", BosTokenId = Json(1), EosTokenId = Json(2),
        },
        _ => throw new NotSupportedException($"No tiny config for {architecture}."),
    };

    /// <summary>Writes config.json, model.safetensors and generation_config.json into <paramref name="folder"/>.</summary>
    /// <param name="writeTokenizerFiles">Called with the folder to add tokenizer files (tokenizer.json, …).</param>
    public static string Write(string folder, ModelArchitecture architecture, long seed = 0, int vocabSize = 128,
        Action<string>? writeTokenizerFiles = null) =>
        Write(folder, Config(architecture, vocabSize), seed, writeTokenizerFiles);

    public static string Write(string folder, HfModelConfig config, long seed = 0, Action<string>? writeTokenizerFiles = null)
    {
        using var model = Create(config, seed);
        HfModelSaver.Save(model, folder);
        writeTokenizerFiles?.Invoke(folder);
        return folder;
    }

    /// <summary>
    /// A model whose every parameter is seeded noise — norms around 1, the rest around 0 — so that a test notices
    /// any weight that is dropped, transposed or misassigned.
    /// </summary>
    public static CausalLM Create(HfModelConfig config, long seed = 0)
    {
        var model = CausalLMFactory.Create(config);
        using var generator = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var isNorm = name.EndsWith("norm.weight", StringComparison.Ordinal)
                || (name.Contains(".ln_", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal));
            parameter.normal_(isNorm ? 1.0 : 0.0, isNorm ? 0.1 : 0.2, generator);
        }
        return model;
    }

    private static System.Text.Json.JsonElement Json(int value) => System.Text.Json.JsonSerializer.SerializeToElement(value);
}
