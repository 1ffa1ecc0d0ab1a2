using AnnotateDpo.Training.Models;
using TorchSharp;

namespace AnnotateDpo.Training.Tests.Models;

/// <summary>Real configs built on the meta device: names, shapes and parameter counts, no weights allocated.</summary>
public class RealConfigStructureTests
{
    private static Dictionary<string, long[]> Shapes(string configJson)
    {
        using var model = CausalLMFactory.Create(HfModelConfig.Parse(configJson), torch.device("meta"));
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
    }

    [Fact]
    public void Create_SmolLM2_135M_HasHfNamesShapesAndPublishedParameterCount()
    {
        var shapes = Shapes(RealConfigs.SmolLM2_135M);

        Assert.Equal(1 + 30 * 9 + 1, shapes.Count);
        Assert.Equal([49152L, 576], shapes["model.embed_tokens.weight"]);
        Assert.Equal([576L, 576], shapes["model.layers.0.self_attn.q_proj.weight"]);
        Assert.Equal([192L, 576], shapes["model.layers.29.self_attn.k_proj.weight"]);
        Assert.Equal([192L, 576], shapes["model.layers.29.self_attn.v_proj.weight"]);
        Assert.Equal([576L, 576], shapes["model.layers.0.self_attn.o_proj.weight"]);
        Assert.Equal([1536L, 576], shapes["model.layers.0.mlp.gate_proj.weight"]);
        Assert.Equal([1536L, 576], shapes["model.layers.0.mlp.up_proj.weight"]);
        Assert.Equal([576L, 1536], shapes["model.layers.0.mlp.down_proj.weight"]);
        Assert.Equal([576L], shapes["model.layers.0.input_layernorm.weight"]);
        Assert.Equal([576L], shapes["model.layers.0.post_attention_layernorm.weight"]);
        Assert.Equal([576L], shapes["model.norm.weight"]);
        Assert.DoesNotContain("lm_head.weight", shapes.Keys);
        Assert.Equal(134_515_008L, shapes.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)));
    }

    [Fact]
    public void Create_Qwen25_05B_HasQkvBiasesNoOutputBiasAndPublishedParameterCount()
    {
        var shapes = Shapes(RealConfigs.Qwen25_05B);

        Assert.Equal(1 + 24 * 12 + 1, shapes.Count);
        Assert.Equal([151936L, 896], shapes["model.embed_tokens.weight"]);
        Assert.Equal([896L], shapes["model.layers.0.self_attn.q_proj.bias"]);
        Assert.Equal([128L, 896], shapes["model.layers.0.self_attn.k_proj.weight"]);
        Assert.Equal([128L], shapes["model.layers.23.self_attn.k_proj.bias"]);
        Assert.Equal([128L], shapes["model.layers.23.self_attn.v_proj.bias"]);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", shapes.Keys);
        Assert.Equal([4864L, 896], shapes["model.layers.0.mlp.gate_proj.weight"]);
        Assert.DoesNotContain("lm_head.weight", shapes.Keys);
        Assert.Equal(494_032_768L, shapes.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)));
    }

    [Fact]
    public void Create_Llama32_1B_HonoursHeadDimAndHasPublishedParameterCount()
    {
        var shapes = Shapes(RealConfigs.Llama32_1B);

        Assert.Equal(1 + 16 * 9 + 1, shapes.Count);
        Assert.Equal([128256L, 2048], shapes["model.embed_tokens.weight"]);
        Assert.Equal([2048L, 2048], shapes["model.layers.0.self_attn.q_proj.weight"]);
        Assert.Equal([512L, 2048], shapes["model.layers.15.self_attn.k_proj.weight"]);
        Assert.Equal([8192L, 2048], shapes["model.layers.15.mlp.up_proj.weight"]);
        Assert.DoesNotContain("lm_head.weight", shapes.Keys);
        Assert.Equal(1_235_814_400L, shapes.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b)));
    }

    [Fact]
    public void Create_Gpt2_124M_HasTransformerNamesConv1DCheckpointLayoutAndPublishedParameterCount()
    {
        using var model = CausalLMFactory.Create(HfModelConfig.Parse(RealConfigs.Gpt2_124M), torch.device("meta"));
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        Assert.Equal(2 + 12 * 12 + 2, parameters.Count);
        Assert.Equal([50257L, 768], parameters["transformer.wte.weight"].shape);
        Assert.Equal([1024L, 768], parameters["transformer.wpe.weight"].shape);
        Assert.Equal([2304L, 768], parameters["transformer.h.0.attn.c_attn.weight"].shape);
        using (var stored = model.ToCheckpointLayout("transformer.h.0.attn.c_attn.weight", parameters["transformer.h.0.attn.c_attn.weight"]))
            Assert.Equal([768L, 2304], stored.shape);
        using (var stored = model.ToCheckpointLayout("transformer.h.11.mlp.c_proj.weight", parameters["transformer.h.11.mlp.c_proj.weight"]))
            Assert.Equal([3072L, 768], stored.shape);
        using (var stored = model.ToCheckpointLayout("transformer.ln_f.weight", parameters["transformer.ln_f.weight"]))
            Assert.Equal([768L], stored.shape);
        Assert.DoesNotContain("lm_head.weight", parameters.Keys);
        Assert.Equal(124_439_808L, parameters.Values.Sum(p => p.numel()));
    }

    [Fact]
    public void Parse_Gpt2_124M_MapsGpt2FieldsAndKeepsUnknownOnes()
    {
        var config = HfModelConfig.Parse(RealConfigs.Gpt2_124M);

        var roundTripped = HfModelConfig.Parse(config.ToJson());

        Assert.Equal(ModelArchitecture.Gpt2, config.Architecture);
        Assert.Equal((768, 12, 12, 64, 3072, 1024), (config.Hidden, config.Layers, config.Heads, config.HeadSize, config.Intermediate, config.MaxPositions));
        Assert.Equal("gelu_new", config.ActivationFunction);
        Assert.Equal(1e-5, config.NormEps);
        Assert.True(config.TiedEmbeddings);
        Assert.Equal(50256, config.EosTokenId!.Value.GetInt32());
        Assert.Equal("cls_index", roundTripped.Extra!["summary_type"].GetString());
        Assert.Equal(50, roundTripped.Extra["task_specific_params"].GetProperty("text-generation").GetProperty("max_length").GetInt32());
    }

    [Fact]
    public void Parse_Llama32_1B_ReadsLlama3RopeScalingAndResolvedValues()
    {
        var config = HfModelConfig.Parse(RealConfigs.Llama32_1B);

        Assert.Equal(ModelArchitecture.Llama, config.Architecture);
        Assert.Equal("llama3", config.RopeScaling!.Kind);
        Assert.Equal(32.0, config.RopeScaling.Factor);
        Assert.Equal(1.0, config.RopeScaling.LowFreqFactor);
        Assert.Equal(4.0, config.RopeScaling.HighFreqFactor);
        Assert.Equal(8192, config.RopeScaling.OriginalMaxPositionEmbeddings);
        Assert.Equal(500000.0, config.RopeBase);
        Assert.Equal(64, config.HeadSize);
        Assert.Equal(8, config.KeyValueHeads);
        Assert.True(config.TiedEmbeddings);
        Assert.Equal("bfloat16", config.TorchDtype);
        Assert.Equal(1e-5, config.NormEps);
    }

    [Fact]
    public void Llama3RopeScaling_Llama32_1B_MatchesHfBands()
    {
        var rotary = new RotaryEmbedding(HfModelConfig.Parse(RealConfigs.Llama32_1B));
        var unscaled = Enumerable.Range(0, 32).Select(i => 1.0 / Math.Pow(500000.0, 2.0 * i / 64)).ToArray();

        // Wavelength 2π/f < 8192/4 is kept, > 8192/1 is divided by 32, and in between is interpolated.
        Assert.Equal(unscaled[0], rotary.InverseFrequencies[0], 1e-6);
        Assert.Equal(unscaled[31] / 32, rotary.InverseFrequencies[31], 1e-12);
        var medium = Enumerable.Range(0, 32).Where(i => 2 * Math.PI / unscaled[i] is >= 2048 and <= 8192).ToList();
        Assert.NotEmpty(medium);
        Assert.All(medium, i => Assert.InRange(rotary.InverseFrequencies[i], unscaled[i] / 32 * 0.999, unscaled[i] * 1.001));
    }

    [Fact]
    public void Parse_UnknownArchitecture_NamesItAndTheSupportedOnes()
    {
        var config = HfModelConfig.Parse("""{"architectures": ["GemmaForCausalLM"], "vocab_size": 10}""");

        var error = Assert.Throws<NotSupportedException>(() => CausalLMFactory.Create(config));

        Assert.Contains("GemmaForCausalLM", error.Message);
        Assert.Contains("LlamaForCausalLM", error.Message);
        Assert.Contains("Qwen2ForCausalLM", error.Message);
        Assert.Contains("MistralForCausalLM", error.Message);
        Assert.Contains("GPT2LMHeadModel", error.Message);
    }
}
