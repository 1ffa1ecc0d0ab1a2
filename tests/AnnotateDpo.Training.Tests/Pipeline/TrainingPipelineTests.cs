using System.Text.Json;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Lora;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Tests.Tokenization;
using AnnotateDpo.Training.Tests.Trainers;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Tests.Pipeline;

/// <summary>SFT → DPO end to end on a tiny random Llama saved with our trained ChatML tokenizer.</summary>
public sealed partial class TrainingPipelineTests(TrainedChatMlTokenizer trained) : IClassFixture<TrainedChatMlTokenizer>, IDisposable
{
    private readonly TempFolder temp = new();

    private static readonly IReadOnlyList<SftSample> SftTrain = TrainerFixtures.SftSamples(6);
    private static readonly IReadOnlyList<SftSample> SftEval = TrainerFixtures.SftSamples(8).Skip(6).ToList();
    private static readonly IReadOnlyList<PreferenceSample> PairTrain = TrainerFixtures.Pairs(6);
    private static readonly IReadOnlyList<PreferenceSample> PairEval = TrainerFixtures.Pairs(8).Skip(6).ToList();

    public void Dispose() => temp.Dispose();

    private string WriteModel()
    {
        var folder = temp.File("base");
        TinyModelFactory.Write(folder, TinyModelFactory.Config(ModelArchitecture.Llama, trained.Tokenizer.VocabSize), seed: 5,
            writeTokenizerFiles: target =>
            {
                foreach (var file in Directory.GetFiles(trained.Directory))
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            });
        return folder;
    }

    private TrainingRunConfig Config(string run, bool lora = false, IReadOnlyList<TrainingStage>? stages = null)
    {
        var stage = new StageSettings { MaxSteps = 3, LearningRate = 3e-3, BatchSize = 4, GradientAccumulationSteps = 1, EvalSteps = 2 };
        return new TrainingRunConfig
        {
            RunId = run,
            ModelDirectory = WriteModel(),
            OutputDirectory = temp.File(run),
            Stages = stages ?? [TrainingStage.Sft, TrainingStage.Dpo],
            Lora = lora ? new LoraSettings { Rank = 4, Alpha = 8, Dropout = 0 } : null,
            Sft = stage,
            Dpo = stage with { LearningRate = 1e-3 },
            Threads = 1,
            SnapshotId = 7,
            SnapshotHash = "abc123",
        };
    }

    private static PipelineResult Run(TrainingRunConfig config, IProgress<PipelineEvent>? progress = null, CancellationToken cancellationToken = default) =>
        new TrainingPipeline().Run(config, SftTrain, SftEval, PairTrain, PairEval, progress, cancellationToken);

    private static List<JsonElement> ReadLines(string path) =>
        File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    /// <summary>Each eval pair's policy log-probabilities under the model saved in <paramref name="folder"/>.</summary>
    private IReadOnlyList<PairLogProbs> ScoreSavedModel(string folder)
    {
        using var model = HfModelLoader.Load(folder);
        model.eval();
        using var tokenizer = HfTokenizer.Load(folder);
        var objective = new DpoObjective(PairEval, PairEval, tokenizer, ChatFormats.For(tokenizer));
        return objective.Evaluate(model, 8, CancellationToken.None).PairLogProbs;
    }

    [Fact]
    public void Run_SftThenDpo_WritesEveryFileOfTheRunFolder()
    {
        var config = Config("full");

        var result = Run(config);

        var folder = config.OutputDirectory;
        Assert.Equal(RunState.Completed, result.State);
        var status = RunStatus.Load(folder);
        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal("abc123", status.SnapshotHash);
        Assert.Equal(3, status.Stages["sft"].Steps);
        Assert.Equal(3, status.Stages["dpo"].Steps);
        Assert.True(status.Stages["sft"].FinalEval!.ContainsKey("eval_loss"));
        Assert.True(status.Stages["dpo"].FinalEval!.ContainsKey("eval_rewards/accuracies"));
        Assert.Equal(config with { }, TrainingRunConfig.Load(Path.Combine(folder, TrainingRunConfig.FileName)), new ConfigJsonComparer());
        foreach (var stage in new[] { "sft", "dpo" })
        {
            foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json" })
                Assert.True(File.Exists(Path.Combine(folder, stage, file)), $"{stage}/{file} is missing");
            Assert.False(Directory.Exists(Path.Combine(folder, stage, TrainingPipeline.AdapterFolderName)));
        }
    }

    [Fact]
    public void Run_SftThenDpo_MetricsJsonlHasEveryStepAndEvalWithTrlNames()
    {
        var config = Config("metrics");

        Run(config);

        var lines = ReadLines(Path.Combine(config.OutputDirectory, RunLog.MetricsFileName));
        var train = lines.Where(l => l.GetProperty("type").GetString() == "train").ToList();
        var evals = lines.Where(l => l.GetProperty("type").GetString() == "eval").ToList();
        Assert.Equal([1, 2, 3, 1, 2, 3], train.Select(l => l.GetProperty("step").GetInt32()));
        Assert.Equal(["sft", "sft", "sft", "dpo", "dpo", "dpo"], train.Select(l => l.GetProperty("stage").GetString()));
        // Before the first step, at step 2 (eval_steps) and after the last, for each stage.
        Assert.Equal([0, 2, 3, 0, 2, 3], evals.Select(l => l.GetProperty("step").GetInt32()));
        Assert.All(train, l => Assert.True(l.TryGetProperty(TrainingMetrics.Loss, out _) && l.TryGetProperty(TrainingMetrics.LearningRate, out _)));
        Assert.True(train[^1].TryGetProperty(TrainingMetrics.RewardsMargins, out _));
        Assert.True(evals[0].TryGetProperty("eval_perplexity", out _));
        Assert.True(evals[^1].TryGetProperty("eval_rewards/chosen", out _));
        Assert.DoesNotContain(evals, l => l.TryGetProperty(TrainingMetrics.Loss, out _));
    }

    [Fact]
    public void Run_FullFineTuning_SavedDpoModelReproducesTheLastEvalLogProbs()
    {
        var config = Config("logps");

        Run(config);

        var evalPairs = ReadLines(Path.Combine(config.OutputDirectory, RunLog.EvalPairsFileName)).Where(l => l.GetProperty("stage").GetString() == "dpo").ToList();
        Assert.Equal([0, 2, 3], evalPairs.Select(l => l.GetProperty("step").GetInt32()));
        var last = evalPairs[^1].GetProperty("pairs").EnumerateArray().ToList();
        var rescored = ScoreSavedModel(Path.Combine(config.OutputDirectory, "dpo"));
        Assert.Equal(PairEval.Count, last.Count);
        for (var i = 0; i < last.Count; i++)
        {
            Assert.Equal(last[i].GetProperty("chosen").GetDouble(), rescored[i].Chosen, 1e-4);
            Assert.Equal(last[i].GetProperty("rejected").GetDouble(), rescored[i].Rejected, 1e-4);
        }
    }

    [Fact]
    public void Run_DpoAfterSft_FirstEvalScoresTheSavedSftModel()
    {
        var config = Config("reference");

        Run(config);

        var first = ReadLines(Path.Combine(config.OutputDirectory, RunLog.EvalPairsFileName))
            .First(l => l.GetProperty("stage").GetString() == "dpo").GetProperty("pairs").EnumerateArray().ToList();
        var sft = ScoreSavedModel(Path.Combine(config.OutputDirectory, "sft"));
        Assert.Equal(first[0].GetProperty("chosen").GetDouble(), sft[0].Chosen, 1e-4);
        // The reference is the SFT model, so DPO's step-0 rewards are zero.
        var evals = ReadLines(Path.Combine(config.OutputDirectory, RunLog.MetricsFileName))
            .Where(l => l.GetProperty("stage").GetString() == "dpo" && l.GetProperty("type").GetString() == "eval").ToList();
        Assert.Equal(0, evals[0].GetProperty("eval_rewards/margins").GetDouble(), 1e-6);
    }

    [Fact]
    public void Run_Lora_SavesPeftAdaptersAndMergedModels()
    {
        var config = Config("lora", lora: true);

        var result = Run(config);

        Assert.Equal(RunState.Completed, result.State);
        var folder = config.OutputDirectory;
        foreach (var stage in new[] { "sft", "dpo" })
        {
            Assert.True(File.Exists(Path.Combine(folder, stage, "model.safetensors")));
            Assert.True(File.Exists(Path.Combine(folder, stage, TrainingPipeline.AdapterFolderName, LoraAdapter.WeightsFileName)));
            Assert.True(File.Exists(Path.Combine(folder, stage, TrainingPipeline.AdapterFolderName, LoraConfig.FileName)));
        }
        // The DPO adapter applies on top of the merged SFT model, its reference.
        var dpoAdapter = LoraConfig.Load(Path.Combine(folder, "dpo", TrainingPipeline.AdapterFolderName));
        Assert.Equal(Path.Combine(folder, "sft"), dpoAdapter.BaseModelNameOrPath);
        Assert.Equal("dpo/adapter", RunStatus.Load(folder).Stages["dpo"].AdapterFolder);
        var last = ReadLines(Path.Combine(folder, RunLog.EvalPairsFileName))[^1].GetProperty("pairs").EnumerateArray().ToList();
        var rescored = ScoreSavedModel(Path.Combine(folder, "dpo"));
        Assert.Equal(last[0].GetProperty("chosen").GetDouble(), rescored[0].Chosen, 1e-3);
    }

    [Fact]
    public void Run_CancelledDuringSft_LeavesRunJsonCancelledAndNoModel()
    {
        var config = Config("cancel");
        using var cancellation = new CancellationTokenSource();
        var progress = new InlinePipelineProgress(e =>
        {
            if (e is StageProgressEvent { Event: TrainingStepEvent { Step: 1 } })
                cancellation.Cancel();
        });

        var result = Run(config, progress, cancellation.Token);

        Assert.Equal(RunState.Cancelled, result.State);
        var status = RunStatus.Load(config.OutputDirectory);
        Assert.Equal(RunState.Cancelled, status.State);
        Assert.Equal(RunState.Cancelled, status.Stages["sft"].State);
        Assert.False(status.Stages.ContainsKey("dpo"));
        Assert.False(Directory.Exists(Path.Combine(config.OutputDirectory, "sft")));
    }

    [Fact]
    public void Run_NoSftExamples_ThrowsAndWritesNothing()
    {
        var config = Config("empty");

        var error = Assert.Throws<ArgumentException>(() =>
            new TrainingPipeline().Run(config, [], [], PairTrain, PairEval));

        Assert.Contains("no SFT training examples", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(config.OutputDirectory));
    }

    [Fact]
    public void Run_DpoOnly_TrainsFromTheBaseModel()
    {
        var config = Config("dpo-only", stages: [TrainingStage.Dpo]);

        var result = new TrainingPipeline().Run(config, [], [], PairTrain, PairEval);

        Assert.Equal(RunState.Completed, result.State);
        Assert.False(result.Status.Stages.ContainsKey("sft"));
        Assert.True(File.Exists(Path.Combine(config.OutputDirectory, "dpo", "model.safetensors")));
    }

    [Fact]
    public void Run_FolderWithARun_IsRefused()
    {
        var config = Config("twice", stages: [TrainingStage.Sft]);
        Run(config);

        var error = Assert.Throws<ArgumentException>(() => Run(config));

        Assert.Contains("already holds a run", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Compares configs by their JSON, as lists compare by reference in records.</summary>
    private sealed class ConfigJsonComparer : IEqualityComparer<TrainingRunConfig>
    {
        public bool Equals(TrainingRunConfig? x, TrainingRunConfig? y) => x?.ToJson() == y?.ToJson();

        public int GetHashCode(TrainingRunConfig obj) => obj.ToJson().GetHashCode(StringComparison.Ordinal);
    }
}

/// <summary>Reports synchronously on the training thread.</summary>
internal sealed class InlinePipelineProgress(Action<PipelineEvent> report) : IProgress<PipelineEvent>
{
    public void Report(PipelineEvent value) => report(value);
}
