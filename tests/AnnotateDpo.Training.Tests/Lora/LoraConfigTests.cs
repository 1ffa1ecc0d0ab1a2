using AnnotateDpo.Training.Lora;

namespace AnnotateDpo.Training.Tests.Lora;

public class LoraConfigTests
{
    // The adapter_config.json PEFT 0.13 writes for LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"]).
    private const string PeftConfig = """
        {
          "alpha_pattern": {},
          "auto_mapping": null,
          "base_model_name_or_path": "Qwen/Qwen2.5-0.5B-Instruct",
          "bias": "none",
          "fan_in_fan_out": false,
          "inference_mode": true,
          "init_lora_weights": true,
          "layer_replication": null,
          "layers_pattern": null,
          "layers_to_transform": null,
          "loftq_config": {},
          "lora_alpha": 16,
          "lora_dropout": 0.05,
          "megatron_config": null,
          "megatron_core": "megatron.core",
          "modules_to_save": null,
          "peft_type": "LORA",
          "r": 8,
          "rank_pattern": {},
          "revision": null,
          "target_modules": ["v_proj", "q_proj"],
          "task_type": "CAUSAL_LM",
          "use_dora": false,
          "use_rslora": false
        }
        """;

    [Fact]
    public void Parse_PeftWrittenConfig_ReadsSettingsAndScale()
    {
        var config = LoraConfig.Parse(PeftConfig);

        Assert.Equal(8, config.Rank);
        Assert.Equal(16, config.Alpha);
        Assert.Equal(0.05, config.Dropout);
        Assert.Equal(["v_proj", "q_proj"], config.TargetModules);
        Assert.Equal("Qwen/Qwen2.5-0.5B-Instruct", config.BaseModelNameOrPath);
        Assert.Equal(2.0, config.Scale);
    }

    [Fact]
    public void Parse_RsLora_ScalesByAlphaOverSquareRootOfRank()
    {
        var config = LoraConfig.Parse(PeftConfig.Replace("\"use_rslora\": false", "\"use_rslora\": true"));

        Assert.Equal(16 / Math.Sqrt(8), config.Scale, 12);
    }

    [Fact]
    public void ToJsonThenParse_RoundTripsIncludingUnknownFields()
    {
        var config = LoraConfig.Parse(PeftConfig);

        var again = LoraConfig.Parse(config.ToJson());

        Assert.Equal(config.Rank, again.Rank);
        Assert.Equal(config.TargetModules, again.TargetModules);
        Assert.Equal("megatron.core", again.Extra!["megatron_core"].GetString());
    }

    [Theory]
    [InlineData("\"use_dora\": false", "\"use_dora\": true", "use_dora")]
    [InlineData("\"peft_type\": \"LORA\"", "\"peft_type\": \"IA3\"", "IA3")]
    [InlineData("\"target_modules\": [\"v_proj\", \"q_proj\"]", "\"target_modules\": \"all-linear\"", "target_modules")]
    [InlineData("\"bias\": \"none\"", "\"bias\": \"all\"", "bias")]
    public void Parse_UnsupportedSetting_ThrowsNamingIt(string original, string replacement, string named)
    {
        var json = PeftConfig.Replace(original, replacement);

        var error = Record.Exception(() => LoraConfig.Parse(json, "adapter/adapter_config.json"));

        Assert.True(error is NotSupportedException or InvalidDataException, error?.GetType().Name);
        Assert.Contains(named, error!.Message);
        Assert.Contains("adapter/adapter_config.json", error.Message);
    }
}
