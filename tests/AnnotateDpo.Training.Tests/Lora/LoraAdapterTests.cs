using System.Text.Json.Nodes;
using AnnotateDpo.Training.Lora;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.SafeTensors;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tests.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Lora;

public class LoraAdapterTests
{
    private static readonly LoraConfig Config = new() { Rank = 4, Alpha = 8, Dropout = 0 };

    [Fact]
    public void Apply_LlamaDefaults_WrapsSevenProjectionsPerLayerWithPeftNames()
    {
        using var model = TinyModels.Create();

        var adapter = LoraAdapter.Apply(model, Config);

        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Equal(7 * 2, adapter.Layers.Count);
        Assert.Contains("model.layers.0.self_attn.q_proj.base_layer.weight", names);
        Assert.Contains("model.layers.0.self_attn.q_proj.lora_A.weight", names);
        Assert.Contains("model.layers.0.self_attn.q_proj.lora_B.weight", names);
        Assert.Contains("model.layers.1.mlp.down_proj.lora_B.weight", names);
        Assert.DoesNotContain("model.layers.0.self_attn.q_proj.weight", names);
        Assert.Equal(
            model.named_parameters().Where(p => p.name.Contains(".lora_")).Select(p => p.name).Order(),
            adapter.NamedTrainableParameters().Select(p => p.Name).Order());
        var layer = adapter.Layers["model.layers.0.self_attn.q_proj"];
        Assert.Equal(new long[] { 4, 64 }, layer.LoraA.shape); // (r, hidden)
        Assert.Equal(new long[] { 128, 4 }, layer.LoraB.shape); // (heads · head_dim, r)
        Assert.Equal(2.0, layer.Scale);
    }

    [Fact]
    public void Apply_FreshAdapter_LogitsExactlyEqualBaseBecauseBIsZero()
    {
        using var model = TinyModels.Create();
        using var ids = Ids();
        using var noGrad = no_grad();
        using var before = model.Forward(ids);

        var adapter = LoraAdapter.Apply(model, Config);
        using var after = model.Forward(ids);

        Assert.True(adapter.Layers.Values.All(layer => layer.LoraB.abs().max().item<float>() == 0));
        Assert.True(adapter.Layers.Values.All(layer => layer.LoraA.abs().max().item<float>() > 0));
        Assert.True(Same(before, after));
    }

    [Fact]
    public void Enabled_Off_LogitsExactlyEqualBaseAndDisableScopeRestores()
    {
        using var model = TinyModels.Create();
        using var ids = Ids();
        using var noGrad = no_grad();
        using var baseLogits = model.Forward(ids);
        var adapter = LoraAdapter.Apply(model, Config);
        RandomizeB(adapter);

        using var adapted = model.Forward(ids);
        Tensor off;
        using (adapter.Disable())
            off = model.Forward(ids);
        using var onAgain = model.Forward(ids);

        using (off)
            Assert.True(Same(off, baseLogits));
        Assert.False(adapted.allclose(baseLogits, rtol: 0, atol: 1e-3));
        Assert.True(Same(onAgain, adapted));
        Assert.True(adapter.Enabled);
    }

    [Fact]
    public void OptimizerStep_AfterOneStep_OnlyLoraParametersChanged()
    {
        using var model = TinyModels.Create();
        var adapter = LoraAdapter.Apply(model, Config with { Dropout = 0.1 });
        model.train();
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = optim.AdamW(adapter.TrainableParameters(), lr: 1e-2);
        using var batch = PaddedBatch.Create([TinyModels.RandomIds(8, 1), TinyModels.RandomIds(5, 2)], padId: 0);

        using (var scores = TokenLogProbs.Compute(model, batch))
        using (var loss = -scores.Sum.mean())
        {
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        foreach (var (name, parameter) in model.named_parameters())
        {
            using var original = before[name];
            var isLora = name.Contains(".lora_");
            Assert.Equal(isLora, parameter.requires_grad);
            if (isLora)
                continue;
            Assert.True(parameter.grad is null, $"{name} got a gradient");
            Assert.True(Same(parameter, original), $"{name} changed");
        }
        // With B = 0 the first gradient reaches B only (∂L/∂A = Bᵀ·…); every B moves.
        foreach (var (path, layer) in adapter.Layers)
            Assert.True(layer.LoraB.abs().max().item<float>() > 0, $"{path}.lora_B did not move");
    }

    [Theory]
    [InlineData(ModelArchitecture.Llama)]
    [InlineData(ModelArchitecture.Qwen2)] // q/k/v carry biases
    [InlineData(ModelArchitecture.Gpt2)]
    public void Merge_AdapterLogitsAndMergedLogits_AgreeWithin1e5(ModelArchitecture architecture)
    {
        using var model = TinyModels.Create(architecture);
        using var ids = Ids();
        using var noGrad = no_grad();
        var adapter = LoraAdapter.Apply(model, LoraConfig.For(model.Config, rank: 4, alpha: 8, dropout: 0));
        RandomizeB(adapter);
        using var adapted = model.Forward(ids);

        adapter.Merge();
        using var merged = model.Forward(ids);
        adapter.MergeAndUnload();
        using var unloaded = model.Forward(ids);

        // 1e-5 for unit-sized logits; float32 rounding grows with their size (the tied heads' reach ~100).
        var tolerance = 1e-5 * Math.Max(1, adapted.abs().max().item<float>());
        Assert.True(MaxAbsDiff(adapted, merged) < tolerance, $"merged differs by {MaxAbsDiff(adapted, merged)} (tolerance {tolerance})");
        Assert.True(MaxAbsDiff(adapted, unloaded) < tolerance);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.DoesNotContain(names, name => name.Contains(".lora_") || name.Contains(".base_layer."));
        Assert.Contains(architecture == ModelArchitecture.Gpt2 ? "transformer.h.0.attn.c_attn.weight" : "model.layers.0.self_attn.q_proj.weight", names);
        Assert.Throws<InvalidOperationException>(() => adapter.Merge());
    }

    [Fact]
    public void Save_Gpt2_WrapsAttentionAndMlpProjectionsAndMarksFanInFanOut()
    {
        using var folder = new TempFolder();
        using var model = TinyModels.Create(ModelArchitecture.Gpt2);

        var adapter = LoraAdapter.Apply(model, LoraConfig.For(model.Config, rank: 2));
        adapter.Save(folder.Path);

        Assert.Equal(
            ["transformer.h.0.attn.c_attn", "transformer.h.0.attn.c_proj", "transformer.h.0.mlp.c_fc", "transformer.h.0.mlp.c_proj"],
            adapter.Layers.Keys.Where(path => path.StartsWith("transformer.h.0.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var keys = SafeTensorsFile.ReadEntries(folder.File(LoraAdapter.WeightsFileName)).Select(e => e.Name);
        Assert.Contains("base_model.model.transformer.h.1.attn.c_attn.lora_B.weight", keys);
        var json = JsonNode.Parse(File.ReadAllText(folder.File(LoraConfig.FileName)))!;
        Assert.True(json["fan_in_fan_out"]!.GetValue<bool>());
    }

    [Fact]
    public void Apply_Float32AdapterOnBFloat16Base_RunsAndOffStillEqualsBase()
    {
        using var model = TinyModels.Create();
        model.to(ScalarType.BFloat16);
        using var ids = Ids();
        using var noGrad = no_grad();
        using var baseLogits = model.Forward(ids);

        var adapter = LoraAdapter.Apply(model, Config, adapterDtype: ScalarType.Float32);
        RandomizeB(adapter);
        using var adapted = model.Forward(ids);
        Tensor off;
        using (adapter.Disable())
            off = model.Forward(ids);

        using (off)
            Assert.True(Same(off, baseLogits));
        Assert.Equal(ScalarType.BFloat16, adapted.dtype);
        Assert.All(adapter.TrainableParameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        using var adapted32 = adapted.to(ScalarType.Float32);
        using var base32 = baseLogits.to(ScalarType.Float32);
        Assert.True(MaxAbsDiff(adapted32, base32) > 1e-3);
    }

    [Fact]
    public void Enabled_OffWhileMerged_Throws()
    {
        using var model = TinyModels.Create();
        var adapter = LoraAdapter.Apply(model, Config);
        adapter.Merge();

        Assert.Throws<InvalidOperationException>(() => adapter.Enabled = false);
    }

    [Fact]
    public void SaveThenLoad_FreshBaseModel_IdenticalLogProbsAndPeftLayout()
    {
        using var folder = new TempFolder();
        using var model = TinyModels.Create(seed: 3);
        var adapter = LoraAdapter.Apply(model, Config);
        RandomizeB(adapter);
        using var batch = PaddedBatch.Create([TinyModels.RandomIds(9, 4), TinyModels.RandomIds(6, 5)], padId: 0);
        using var noGrad = no_grad();
        using var expected = TokenLogProbs.Compute(model, batch);

        adapter.Save(folder.Path, baseModelNameOrPath: "tiny-llama");
        using var reloadedModel = TinyModels.Create(seed: 3);
        var reloaded = LoraAdapter.Load(reloadedModel, folder.Path);
        using var actual = TokenLogProbs.Compute(reloadedModel, batch);

        Assert.True(Same(actual.PerToken, expected.PerToken));
        Assert.Equal(adapter.Config.Rank, reloaded.Config.Rank);
        var keys = SafeTensorsFile.ReadEntries(folder.File(LoraAdapter.WeightsFileName)).Select(e => e.Name).ToList();
        Assert.Equal(28, keys.Count);
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", keys);
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", keys);
        Assert.Contains("base_model.model.model.layers.1.mlp.gate_proj.lora_A.weight", keys);
        Assert.All(keys, key => Assert.Matches(@"^base_model\.model\.model\.layers\.\d\.(self_attn|mlp)\.\w+_proj\.lora_[AB]\.weight$", key));

        var json = JsonNode.Parse(File.ReadAllText(folder.File(LoraConfig.FileName)))!;
        Assert.Equal("LORA", json["peft_type"]!.GetValue<string>());
        Assert.Equal("CAUSAL_LM", json["task_type"]!.GetValue<string>());
        Assert.Equal(4, json["r"]!.GetValue<int>());
        Assert.Equal(8, json["lora_alpha"]!.GetValue<double>());
        Assert.Equal(0, json["lora_dropout"]!.GetValue<double>());
        Assert.Equal("tiny-llama", json["base_model_name_or_path"]!.GetValue<string>());
        Assert.Equal("none", json["bias"]!.GetValue<string>());
        Assert.False(json["fan_in_fan_out"]!.GetValue<bool>());
        Assert.True(json["inference_mode"]!.GetValue<bool>());
        Assert.Equal(
            ["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"],
            json["target_modules"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Load_ConfigRankDiffersFromWeights_ThrowsNamingTensor()
    {
        using var folder = new TempFolder();
        using var model = TinyModels.Create();
        LoraAdapter.Apply(model, Config).Save(folder.Path);
        File.WriteAllText(folder.File(LoraConfig.FileName), (Config with { Rank = 8 }).ToJson());
        using var other = TinyModels.Create();

        var error = Assert.Throws<InvalidDataException>(() => LoraAdapter.Load(other, folder.Path));

        Assert.Contains("lora_A.weight' has shape [4, 64]", error.Message);
    }

    [Fact]
    public void Apply_TargetsMatchNothing_ThrowsListingTheModelsLinears()
    {
        using var model = TinyModels.Create();

        var error = Assert.Throws<ArgumentException>(() => LoraAdapter.Apply(model, Config with { TargetModules = ["query"] }));

        Assert.Contains("q_proj", error.Message);
    }

    private static Tensor Ids() => tensor(TinyModels.RandomIds(10, 21), [1, 10], ScalarType.Int64);

    /// <summary>A trained adapter stand-in: B drawn at random so the adapters change the output.</summary>
    private static void RandomizeB(LoraAdapter adapter)
    {
        using var noGrad = no_grad();
        torch.manual_seed(99);
        foreach (var layer in adapter.Layers.Values)
        {
            using var values = randn_like(layer.LoraB) * 0.1;
            layer.LoraB.copy_(values);
        }
    }

    /// <summary>Bit-for-bit equal values and shapes.</summary>
    private static bool Same(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape))
            return false;
        using var equal = a.eq(b).all();
        return equal.item<bool>();
    }

    private static float MaxAbsDiff(Tensor a, Tensor b)
    {
        using var diff = (a - b).abs().max();
        return diff.item<float>();
    }
}
