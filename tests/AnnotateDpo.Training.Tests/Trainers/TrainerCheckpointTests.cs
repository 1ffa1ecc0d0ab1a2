using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Tests.Tokenization;
using AnnotateDpo.Training.Trainers;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Trainers;

/// <summary>Checkpoints, resume and the divergence guard of the loop, on a tiny random Llama.</summary>
public sealed class TrainerCheckpointTests(TrainedChatMlTokenizer trained) : IClassFixture<TrainedChatMlTokenizer>, IDisposable
{
    private readonly TempFolder temp = new();

    /// <summary>Batch 3 of 4 samples, so steps straddle epochs and the shuffled order matters.</summary>
    private static readonly TrainerOptions Options = new()
    {
        BatchSize = 3, LearningRate = 3e-3, MaxSteps = 6, WarmupSteps = 2, Seed = 9, Threads = 1, EvalEvery = 2,
    };

    public void Dispose() => temp.Dispose();

    private ITrainingObjective Objective(bool dpo) => dpo
        ? new DpoObjective(TrainerFixtures.Pairs(4), TrainerFixtures.Pairs(6).Skip(4).ToList(), trained.Tokenizer, TrainerFixtures.Format(trained))
        : new SftObjective(TrainerFixtures.SftSamples(4), TrainerFixtures.SftSamples(6).Skip(4).ToList(), trained.Tokenizer, TrainerFixtures.Format(trained));

    /// <summary>A step's metrics without the ones that measure the machine.</summary>
    private static Dictionary<string, double> Deterministic(TrainingStepEvent step) => step.Metrics
        .Where(m => m.Key is not (TrainingMetrics.TokensPerSecond or TrainingMetrics.PeakMemoryMb))
        .ToDictionary(m => m.Key, m => m.Value);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Train_ResumedFromACancelledStepsCheckpoint_RepeatsTheUninterruptedSteps(bool dpo)
    {
        using var whole = TrainerFixtures.Model(trained);
        var expected = new Trainer().Train(whole, Objective(dpo), Options);
        var checkpoints = new TrainerCheckpoints(temp.File("checkpoints"), "stage", Every: 2);
        using var cancellation = new CancellationTokenSource();
        var stopAtThree = new InlineProgress(e =>
        {
            if (e is TrainingStepEvent { Step: 3 })
                cancellation.Cancel();
        });
        using (var interrupted = TrainerFixtures.Model(trained))
            Assert.True(new Trainer().Train(interrupted, Objective(dpo), Options, stopAtThree, cancellation.Token, checkpoints).Cancelled);
        var latest = TrainerCheckpoint.Latest(checkpoints.Folder, "stage")!;

        using var resumedModel = TrainerFixtures.Model(trained);
        var resumed = new Trainer().Train(resumedModel, Objective(dpo), Options, checkpoints: checkpoints with { Every = 0, ResumeFrom = latest });

        Assert.EndsWith("stage-step-000003", latest, StringComparison.Ordinal);
        Assert.Equal([4, 5, 6], resumed.Steps.Select(s => s.Step));
        for (var i = 0; i < 3; i++)
            Assert.Equal(Deterministic(expected.Steps[i + 3]), Deterministic(resumed.Steps[i]));
        Assert.Equal([4, 6], resumed.Evaluations.Select(e => e.Step));
        Assert.Equal(expected.Evaluations[^1].Metrics, resumed.Evaluations[^1].Metrics);
    }

    [Fact]
    public void Train_CheckpointEveryTwoSteps_KeepsOnlyTheLatestAndNoneAtTheEnd()
    {
        using var model = TrainerFixtures.Model(trained);
        var checkpoints = new TrainerCheckpoints(temp.File("every"), "sft", Every: 2);
        var saved = new List<int>();

        new Trainer().Train(model, Objective(dpo: false), Options, new InlineProgress(e =>
        {
            if (e is CheckpointSavedEvent checkpoint)
                saved.Add(checkpoint.Step);
        }), checkpoints: checkpoints);

        Assert.Equal([2, 4], saved);
        var folder = Assert.Single(Directory.GetDirectories(checkpoints.Folder));
        Assert.Equal(TrainerCheckpoint.FolderName("sft", 4), Path.GetFileName(folder));
        Assert.Equal(4, TrainerCheckpoint.LoadState(folder).Step);
        foreach (var file in new[] { TrainerCheckpoint.TrainableFileName, TrainerCheckpoint.OptimizerFileName, TrainerCheckpoint.RngStateFileName })
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is missing");
    }

    [Fact]
    public void Train_TooLittleFreeDisk_FailsBeforeWritingTheCheckpoint()
    {
        using var model = TrainerFixtures.Model(trained);
        var checkpoints = new TrainerCheckpoints(temp.File("full"), "sft", Every: 2, MinFreeBytes: long.MaxValue / 4);

        var error = Assert.Throws<IOException>(() => new Trainer().Train(model, Objective(dpo: false), Options, checkpoints: checkpoints));

        Assert.Contains("Not enough free disk space", error.Message, StringComparison.Ordinal);
        Assert.Contains("checkpoint_steps", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(checkpoints.Folder));
    }

    [Fact]
    public void Train_CheckpointOfAnotherRunLength_IsRefused()
    {
        var checkpoints = new TrainerCheckpoints(temp.File("other"), "sft", Every: 2);
        using (var first = TrainerFixtures.Model(trained))
            new Trainer().Train(first, Objective(dpo: false), Options, checkpoints: checkpoints);
        using var second = TrainerFixtures.Model(trained);

        var error = Assert.Throws<InvalidDataException>(() => new Trainer().Train(second, Objective(dpo: false), Options with { MaxSteps = 8 },
            checkpoints: checkpoints with { ResumeFrom = TrainerCheckpoint.Latest(checkpoints.Folder, "sft") }));

        Assert.Contains("written for 6 steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_NaNInTheWeights_ThrowsDivergedAtTheFirstStepWithAdvice()
    {
        using var model = TrainerFixtures.Model(trained);
        using (no_grad())
            model.named_parameters().First(p => p.name.EndsWith("q_proj.weight", StringComparison.Ordinal)).parameter[0].fill_(float.NaN);

        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer().Train(model, Objective(dpo: false), Options with { EvalEvery = 0 }));

        Assert.Equal(1, error.Step);
        Assert.Contains("Lower the learning rate", error.Message, StringComparison.Ordinal);
    }
}
