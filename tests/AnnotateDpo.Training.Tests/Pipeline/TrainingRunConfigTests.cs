using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Training.Tests.Pipeline;

public sealed class TrainingRunConfigTests
{
    [Fact]
    public void Create_DemoPreset_IsFullFineTuningWithTheDemoRates()
    {
        var config = TrainingPresets.Create("demo", "r1", "model", "out");

        Assert.Null(config.Lora);
        Assert.Equal((2.0, 1e-3, 8, 1), (config.Sft.Epochs, config.Sft.LearningRate, config.Sft.BatchSize, config.Sft.GradientAccumulationSteps));
        Assert.Equal((2.0, 5e-5, 8), (config.Dpo.Epochs, config.Dpo.LearningRate, config.Dpo.BatchSize));
        Assert.Equal(0.1, config.Loss.Beta);
    }

    [Theory]
    [InlineData(null, 16, 5e-6)]
    [InlineData(false, 0, 5e-7)]
    public void Create_DefaultPreset_LearningRateFollowsLoraChoice(bool? lora, int rank, double learningRate)
    {
        var config = TrainingPresets.Create("default", "r1", "model", "out", lora);

        Assert.Equal(rank, config.Lora?.Rank ?? 0);
        Assert.Equal(learningRate, config.Sft.LearningRate);
        Assert.Equal(8, config.Dpo.BatchSize * config.Dpo.GradientAccumulationSteps);
        Assert.Equal(0.1, config.Dpo.WarmupRatio);
    }

    [Fact]
    public void Create_UnknownPreset_ListsTheValidNames()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingPresets.Create("fast", "r1", "model", "out"));

        Assert.Contains("'fast'", error.Message, StringComparison.Ordinal);
        Assert.Contains("demo, default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownLoss_NamesItAndTheValidOnes()
    {
        var config = TrainingPresets.Create("demo", "r1", "model", "out") with { Loss = new PreferenceLossSettings { Type = "sigmoidal" } };

        var error = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains("'sigmoidal'", error.Message, StringComparison.Ordinal);
        Assert.Contains("sigmoid", error.Message.Replace("'sigmoidal'", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dpo,sft")]
    [InlineData("sft,sft")]
    [InlineData("ppo")]
    public void ParseStages_BadList_IsRejected(string stages)
    {
        Assert.Throws<ArgumentException>(() =>
            (TrainingPresets.Create("demo", "r1", "model", "out") with { Stages = TrainingRunConfig.ParseStages(stages) }).Validate());
    }

    [Fact]
    public void ToTrainerOptions_TenPercentWarmup_RoundsOnTheResolvedSteps()
    {
        var stage = new StageSettings { Epochs = 2, BatchSize = 8, GradientAccumulationSteps = 1, WarmupRatio = 0.1 };

        var options = stage.ToTrainerOptions(trainCount: 100, seed: 1, threads: null);

        Assert.Equal(25, stage.TotalSteps(100));
        Assert.Equal(3, options.WarmupSteps);
        Assert.Equal(5, options.EvalEvery);
    }

    [Fact]
    public void ToJson_RoundTrips_WithTrlNames()
    {
        var config = TrainingPresets.Create("default", "r1", "model", "out") with { SnapshotId = 3 };

        var json = config.ToJson();
        var path = Path.Combine(Path.GetTempPath(), $"annotatedpo-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        var loaded = TrainingRunConfig.Load(path);
        File.Delete(path);

        Assert.Contains("\"learning_rate\"", json, StringComparison.Ordinal);
        Assert.Contains("\"stages\": [\n    \"sft\",\n    \"dpo\"\n  ]", json.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(json, loaded.ToJson());
    }
}
