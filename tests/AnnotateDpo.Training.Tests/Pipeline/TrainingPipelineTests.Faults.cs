using System.Text.Json.Nodes;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Training.Trainers;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Pipeline;

/// <summary>Resume, cancellation by file, the guards and the report.</summary>
public sealed partial class TrainingPipelineTests
{
    private static readonly string[] TimingKeys = ["elapsed_seconds", TrainingMetrics.TokensPerSecond, TrainingMetrics.PeakMemoryMb];

    private static List<string> DeterministicMetrics(string runFolder) => File.ReadAllLines(Path.Combine(runFolder, RunLog.MetricsFileName))
        .Select(line =>
        {
            var node = JsonNode.Parse(line)!.AsObject();
            foreach (var key in TimingKeys)
                node.Remove(key);
            return node.ToJsonString();
        })
        .ToList();

    private static PipelineResult Resume(string runFolder) =>
        new TrainingPipeline().Resume(runFolder, SftTrain, SftEval, PairTrain, PairEval);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resume_CancelledInDpo_EndsWithTheMetricsOfAnUninterruptedRun(bool lora)
    {
        var start = Config("whole", lora);
        var whole = start with { Sft = start.Sft with { MaxSteps = 4 }, Dpo = start.Dpo with { MaxSteps = 5 }, CheckpointSteps = 2 };
        Run(whole);
        var interrupted = whole with { RunId = "interrupted", OutputDirectory = temp.File("interrupted") };
        using var cancellation = new CancellationTokenSource();
        var stopInDpo = new InlinePipelineProgress(e =>
        {
            if (e is StageProgressEvent { Stage: TrainingStage.Dpo, Event: TrainingStepEvent { Step: 3 } })
                cancellation.Cancel();
        });
        var cancelled = Run(interrupted, stopInDpo, cancellation.Token);

        var resumed = Resume(interrupted.OutputDirectory);

        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Equal("checkpoints/dpo-step-000003", cancelled.Status.LastCheckpoint);
        Assert.Equal(RunState.Completed, resumed.State);
        Assert.Equal(DeterministicMetrics(whole.OutputDirectory), DeterministicMetrics(interrupted.OutputDirectory));
        Assert.Equal(File.ReadAllLines(Path.Combine(whole.OutputDirectory, RunLog.SamplesFileName)),
            File.ReadAllLines(Path.Combine(interrupted.OutputDirectory, RunLog.SamplesFileName)));
        Assert.Equal(5, resumed.Status.Stages["dpo"].Steps);
        Assert.Equal(RunStatus.Load(whole.OutputDirectory).Stages["dpo"].InitialEval, resumed.Status.Stages["dpo"].InitialEval);
        Assert.Null(resumed.Status.LastCheckpoint);
    }

    [Fact]
    public void Run_CancelFileWritten_StopsCancelledWithItsCheckpoint()
    {
        var start = Config("cancel-file");
        var config = start with { Sft = start.Sft with { MaxSteps = 50 }, CheckpointSteps = 100 };
        var progress = new InlinePipelineProgress(e =>
        {
            if (e is StageProgressEvent { Event: TrainingStepEvent { Step: 1 } })
                RunFiles.RequestCancel(config.OutputDirectory);
        });

        var result = Run(config, progress);

        Assert.Equal(RunState.Cancelled, result.State);
        var steps = result.Status.Stages["sft"].Steps;
        Assert.InRange(steps, 1, 49);
        Assert.Equal($"checkpoints/{TrainerCheckpoint.FolderName("sft", steps)}", result.Status.LastCheckpoint);
        Assert.True(File.Exists(Path.Combine(config.OutputDirectory, RunFiles.ReportFileName)));
    }

    [Fact]
    public void Resume_CompletedRun_IsRefused()
    {
        var config = Config("finished", stages: [TrainingStage.Sft]);
        Run(config);

        var error = Assert.Throws<ArgumentException>(() => Resume(config.OutputDirectory));

        Assert.Contains("has completed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ModelWithNaNWeights_FailsNamingTheStepAndWritesTheReport()
    {
        var config = Config("nan");
        using (var model = HfModelLoader.Load(config.ModelDirectory))
        {
            using (no_grad())
                model.named_parameters().First(p => p.name.EndsWith("q_proj.weight", StringComparison.Ordinal)).parameter[0].fill_(float.NaN);
            HfModelSaver.Save(model, config.ModelDirectory, config.ModelDirectory);
        }

        var error = Assert.Throws<TrainingDivergedException>(() => Run(config));

        var status = RunStatus.Load(config.OutputDirectory);
        Assert.Equal(RunState.Failed, status.State);
        Assert.Equal(RunState.Failed, status.Stages["sft"].State);
        Assert.Equal(error.Message, status.Error);
        Assert.Contains("diverged at step 1", status.Error, StringComparison.Ordinal);
        Assert.Contains("Lower the learning rate", File.ReadAllText(Path.Combine(config.OutputDirectory, RunFiles.ReportFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FolderWithoutConfigJson_ThrowsSayingWhatToDoAndWritesNothing()
    {
        var config = Config("invalid-model");
        File.Delete(Path.Combine(config.ModelDirectory, "config.json"));

        var error = Assert.Throws<InvalidDataException>(() => Run(config));

        Assert.Contains("has no config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("demo-tiny", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(config.OutputDirectory));
    }

    [Fact]
    public void Run_FewerExamplesThanOneStep_WarnsSayingHowManyAStepTakes()
    {
        var config = Config("small", stages: [TrainingStage.Sft]);

        var result = new TrainingPipeline().Run(config, SftTrain.Take(3).ToList(), SftEval, PairTrain, PairEval);

        Assert.Equal(RunState.Completed, result.State);
        var warning = Assert.Single(result.Status.Warnings);
        Assert.Contains("3 SFT examples", warning, StringComparison.Ordinal);
        Assert.Contains("= 4), so each step repeats them", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoEvalSplit_WarnsInRunJson()
    {
        var config = Config("no-eval", stages: [TrainingStage.Sft]);

        var result = new TrainingPipeline().Run(config, SftTrain, [], PairTrain, PairEval);

        Assert.Contains(result.Status.Warnings, w => w.Contains("no SFT examples in its eval split", StringComparison.Ordinal));
    }

    /// <summary>Six SFT samples, one of them far longer than the tiny model's 256 positions.</summary>
    private static List<SftSample> WithOneLongSample() =>
    [
        .. SftTrain.Take(5),
        new SftSample([new ChatMessage(ChatRoles.User, "Explain the press."), new ChatMessage(ChatRoles.Assistant, string.Concat(Enumerable.Repeat("Check the oil level first. ", 120)))]),
    ];

    [Fact]
    public void Run_SequenceLongerThanTheContext_IsTruncatedAndCounted()
    {
        var config = Config("truncate", stages: [TrainingStage.Sft]);

        var result = new TrainingPipeline().Run(config, WithOneLongSample(), SftEval, PairTrain, PairEval);

        Assert.Equal(RunState.Completed, result.State);
        Assert.Contains("1 sft samples were longer than the model's 256 positions and were truncated", Assert.Single(result.Status.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_LongSftEvalExampleScoredByBothStages_IsCountedOnce()
    {
        var config = Config("truncate-eval");

        // DPO scores the SFT eval examples too (eval_sft_loss); the long one is still one sample to warn of.
        var result = new TrainingPipeline().Run(config, SftTrain, WithOneLongSample(), PairTrain, PairEval);

        Assert.Equal(RunState.Completed, result.State);
        Assert.Contains("1 sft samples were longer than the model's 256 positions", Assert.Single(result.Status.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SequenceLongerThanTheContextWithReject_FailsNamingTheSample()
    {
        var config = Config("reject", stages: [TrainingStage.Sft]) with { SequenceOverflow = SequenceOverflow.Reject };

        var error = Assert.Throws<ArgumentException>(() => new TrainingPipeline().Run(config, WithOneLongSample(), SftEval, PairTrain, PairEval));

        Assert.Contains("SFT training sample 5 has", error.Message, StringComparison.Ordinal);
        Assert.Contains("sequence_overflow to truncate", error.Message, StringComparison.Ordinal);
        Assert.Equal(RunState.Failed, RunStatus.Load(config.OutputDirectory).State);
    }

    [Fact]
    public void Run_TooLittleFreeDiskForACheckpoint_FailsWithTheMessage()
    {
        var config = Config("disk") with { CheckpointSteps = 1, MinFreeDiskMb = long.MaxValue / (1L << 22) };

        var error = Assert.Throws<IOException>(() => Run(config));

        Assert.Contains("Not enough free disk space", error.Message, StringComparison.Ordinal);
        Assert.Equal(RunState.Failed, RunStatus.Load(config.OutputDirectory).State);
    }

    [Fact]
    public void Run_Completed_WritesASelfContainedReportWithEveryChart()
    {
        var config = Config("report");

        Run(config);

        var html = File.ReadAllText(Path.Combine(config.OutputDirectory, RunFiles.ReportFileName));
        foreach (var text in new[] { "abc123", "Loss", "Rewards: chosen vs rejected", "Reward margins", "Reward accuracies", "Log-probs: chosen vs rejected", "Learning rate", "Grad norm", "eval_rewards/margins" })
            Assert.Contains(text, html, StringComparison.Ordinal);
        // SFT draws loss, learning rate and grad norm; DPO all seven charts.
        Assert.Equal(3 + 7, html.Split("<svg").Length - 1);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" href=", html, StringComparison.Ordinal);
    }
}
