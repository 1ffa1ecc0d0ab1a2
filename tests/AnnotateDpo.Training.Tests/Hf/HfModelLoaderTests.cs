using System.Text.Json.Nodes;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Hf;

public class HfModelLoaderTests
{
    public static TheoryData<ModelArchitecture> Architectures =>
        [ModelArchitecture.Llama, ModelArchitecture.Qwen2, ModelArchitecture.Mistral, ModelArchitecture.Gpt2];

    private static readonly long[][] Batch = [[5, 9, 17, 3, 44, 8], [1, 2, 3, 4, 5, 6]];

    private static Tensor Logits(CausalLM model)
    {
        using var ids = torch.tensor(Batch.SelectMany(r => r).ToArray(), 2, 6);
        using var noGrad = no_grad();
        return model.Forward(ids);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Load_TinyFolder_MatchesEveryKeyAndGivesTheWrittenModelsLogits(ModelArchitecture architecture)
    {
        using var folder = new TempFolder();
        var config = TinyModelFactory.Config(architecture);
        TinyModelFactory.Write(folder.Path, config, seed: 3);
        using var written = TinyModelFactory.Create(config, seed: 3);

        using var loaded = HfModelLoader.Load(folder.Path);
        using var expected = Logits(written);
        using var actual = Logits(loaded);

        var stored = SafeTensorsFile.ReadFolderEntries(folder.Path).Select(e => e.Name).Order();
        Assert.Equal(loaded.named_parameters().Select(p => p.name).Order(), stored);
        Assert.Equal([2L, 6, config.VocabSize], actual.shape);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6));
        using var spread = expected.std();
        Assert.True(spread.item<float>() > 0.1f, "random weights should give varied logits");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void SaveThenLoad_LoadedModel_KeepsLogitsConfigAndTokenizerFiles(ModelArchitecture architecture)
    {
        using var source = new TempFolder();
        using var target = new TempFolder();
        TinyModelFactory.Write(source.Path, architecture, seed: 5,
            writeTokenizerFiles: folder => File.WriteAllText(Path.Combine(folder, "tokenizer.json"), """{"version": "1.0"}"""));
        using var model = HfModelLoader.Load(source.Path);

        HfModelSaver.Save(model, target.Path, sourceFolder: source.Path);
        using var reloaded = HfModelLoader.Load(target.Path);
        using var before = Logits(model);
        using var after = Logits(reloaded);

        Assert.True(after.eq(before).all().item<bool>());
        Assert.Equal(File.ReadAllText(source.File("tokenizer.json")), File.ReadAllText(target.File("tokenizer.json")));
        Assert.True(File.Exists(target.File(HfModelSaver.GenerationConfigFileName)));
        Assert.Equal(model.Config.ToJson(), reloaded.Config.ToJson());
        Assert.Empty(Directory.GetDirectories(target.Path));
    }

    [Fact]
    public void Save_Gpt2_StoresConv1DWeightsTransposedAsHfDoes()
    {
        using var folder = new TempFolder();
        var config = TinyModelFactory.Config(ModelArchitecture.Gpt2);

        TinyModelFactory.Write(folder.Path, config);
        var entries = SafeTensorsFile.ReadFolderEntries(folder.Path).ToDictionary(e => e.Name);

        Assert.Equal([64L, 192], entries["transformer.h.0.attn.c_attn.weight"].Shape);
        Assert.Equal([64L, 256], entries["transformer.h.1.mlp.c_fc.weight"].Shape);
        Assert.Equal([256L, 64], entries["transformer.h.1.mlp.c_proj.weight"].Shape);
        Assert.Equal([192L], entries["transformer.h.0.attn.c_attn.bias"].Shape);
        Assert.DoesNotContain("lm_head.weight", entries.Keys);
    }

    [Fact]
    public void Load_Gpt2CheckpointWithoutPrefixAndWithMaskBuffers_LoadsAsHfDoes()
    {
        using var folder = new TempFolder();
        var config = TinyModelFactory.Config(ModelArchitecture.Gpt2);
        TinyModelFactory.Write(folder.Path, config, seed: 9);
        var original = SafeTensorsFile.ReadAll(folder.Path);
        var openAiStyle = original.ToDictionary(p => p.Key["transformer.".Length..], p => p.Value);
        using var mask = torch.ones(1, 1, 256, 256).tril();
        openAiStyle["h.0.attn.bias"] = mask;
        SafeTensorsFile.Write(folder.File(SafeTensorsFile.SingleFileName), openAiStyle);
        using var expected = TinyModelFactory.Create(config, seed: 9);

        using var loaded = HfModelLoader.Load(folder.Path);
        using var expectedLogits = Logits(expected);
        using var actual = Logits(loaded);

        Assert.True(actual.eq(expectedLogits).all().item<bool>());
        foreach (var tensor in original.Values)
            tensor.Dispose();
    }

    [Fact]
    public void Load_MissingTensor_ThrowsNamingKeyAndShape()
    {
        using var folder = new TempFolder();
        RewriteWeights(TinyModelFactory.Write(folder.Path, ModelArchitecture.Llama),
            weights => weights.Remove("model.layers.1.mlp.down_proj.weight"));

        var error = Assert.Throws<InvalidDataException>(() => HfModelLoader.Load(folder.Path));

        Assert.Contains("missing tensor 'model.layers.1.mlp.down_proj.weight' [64, 128]", error.Message);
    }

    [Fact]
    public void Load_UnexpectedTensor_ThrowsNamingKey()
    {
        using var folder = new TempFolder();
        using var extra = torch.zeros(64, 64);
        RewriteWeights(TinyModelFactory.Write(folder.Path, ModelArchitecture.Qwen2),
            weights => weights["model.layers.0.self_attn.o_proj.bias"] = extra);

        var error = Assert.Throws<InvalidDataException>(() => HfModelLoader.Load(folder.Path));

        Assert.Contains("unexpected tensor 'model.layers.0.self_attn.o_proj.bias' [64, 64]", error.Message);
    }

    [Fact]
    public void Load_WrongShape_ThrowsNamingKeyAndBothShapes()
    {
        using var folder = new TempFolder();
        using var wrong = torch.zeros(32, 64);
        RewriteWeights(TinyModelFactory.Write(folder.Path, ModelArchitecture.Mistral),
            weights => weights["model.layers.0.self_attn.k_proj.weight"] = wrong);

        var error = Assert.Throws<InvalidDataException>(() => HfModelLoader.Load(folder.Path));

        Assert.Contains("'model.layers.0.self_attn.k_proj.weight' has shape [32, 64], the model expects [16, 64]", error.Message);
    }

    [Fact]
    public void Load_TiedCheckpointAlsoStoringHeadAndRotaryBuffers_IgnoresThemAsHfDoes()
    {
        using var folder = new TempFolder();
        var config = TinyModelFactory.Config(ModelArchitecture.Llama);
        using var head = torch.zeros(config.VocabSize, 64);
        using var inverseFrequencies = torch.ones(16);
        RewriteWeights(TinyModelFactory.Write(folder.Path, config, seed: 2), weights =>
        {
            weights["lm_head.weight"] = head;
            weights["model.layers.0.self_attn.rotary_emb.inv_freq"] = inverseFrequencies;
        });
        using var expected = TinyModelFactory.Create(config, seed: 2);

        using var loaded = HfModelLoader.Load(folder.Path);
        using var expectedLogits = Logits(expected);
        using var actual = Logits(loaded);

        Assert.True(actual.eq(expectedLogits).all().item<bool>());
    }

    [Fact]
    public void Load_AsBf16_ForwardStaysCloseToFp32()
    {
        using var folder = new TempFolder();
        TinyModelFactory.Write(folder.Path, ModelArchitecture.Llama, seed: 6);
        using var fp32 = HfModelLoader.Load(folder.Path);

        using var bf16 = HfModelLoader.Load(folder.Path, dtype: ScalarType.BFloat16);
        using var expected = Logits(fp32);
        using var actual = Logits(bf16);

        Assert.All(bf16.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        using var actual32 = actual.to(ScalarType.Float32);
        using var difference = (actual32 - expected).abs().max();
        Assert.True(difference.item<float>() < 0.25f, $"bf16 logits differ from fp32 by {difference.item<float>()}");
    }

    [Fact]
    public void Load_NoConfig_ThrowsNamingFolder()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<FileNotFoundException>(() => HfModelLoader.Load(folder.Path));

        Assert.Contains(folder.Path, error.Message);
        Assert.Contains("config.json", error.Message);
    }

    [Fact]
    public void Load_ShardedCheckpoint_LoadsAllShards()
    {
        using var folder = new TempFolder();
        var config = TinyModelFactory.Config(ModelArchitecture.Llama);
        TinyModelFactory.Write(folder.Path, config, seed: 4);
        var weights = SafeTensorsFile.ReadAll(folder.Path);
        var (first, second) = (weights.Where(p => p.Key.Contains("layers.0")).ToList(), weights.Where(p => !p.Key.Contains("layers.0")).ToList());
        SafeTensorsFile.Write(folder.File("model-00001-of-00002.safetensors"), first);
        SafeTensorsFile.Write(folder.File("model-00002-of-00002.safetensors"), second);
        File.Delete(folder.File(SafeTensorsFile.SingleFileName));
        var map = first.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)"model-00001-of-00002.safetensors"))
            .Concat(second.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)"model-00002-of-00002.safetensors")));
        var index = new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = new JsonObject(map) };
        File.WriteAllText(folder.File(SafeTensorsFile.IndexFileName), index.ToJsonString());
        using var expected = TinyModelFactory.Create(config, seed: 4);

        using var loaded = HfModelLoader.Load(folder.Path);
        using var expectedLogits = Logits(expected);
        using var actual = Logits(loaded);

        Assert.True(actual.eq(expectedLogits).all().item<bool>());
        foreach (var tensor in weights.Values)
            tensor.Dispose();
    }

    [Fact]
    public void Load_Bf16Checkpoint_UpcastsToFp32OnCpu()
    {
        using var source = new TempFolder();
        using var target = new TempFolder();
        TinyModelFactory.Write(source.Path, ModelArchitecture.Qwen2);
        using (var model = HfModelLoader.Load(source.Path))
            HfModelSaver.Save(model, target.Path, dtype: ScalarType.BFloat16);

        using var loaded = HfModelLoader.Load(target.Path);

        Assert.Equal("bfloat16", HfModelConfig.Load(target.File("config.json")).TorchDtype);
        Assert.All(SafeTensorsFile.ReadFolderEntries(target.Path), e => Assert.Equal("BF16", e.DType));
        Assert.All(loaded.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    private static void RewriteWeights(string folder, Action<Dictionary<string, Tensor>> change)
    {
        var weights = SafeTensorsFile.ReadAll(folder);
        var originals = weights.Values.ToList();
        change(weights);
        SafeTensorsFile.Write(Path.Combine(folder, SafeTensorsFile.SingleFileName), weights);
        foreach (var tensor in originals)
            tensor.Dispose();
    }
}
