using AnnotateDpo.Training.Lora;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Tests.Tokenization;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Tests.Trainers;

/// <summary>The loop end to end on a tiny random Llama and our trained ChatML tokenizer.</summary>
public sealed class TrainerTests(TrainedChatMlTokenizer trained) : IClassFixture<TrainedChatMlTokenizer>
{
    /// <summary>ln 2 as the float32 loss tensor holds it.</summary>
    private static readonly double Ln2 = MathF.Log(2);

    private static readonly TrainerOptions Fast = new()
    {
        BatchSize = 4, LearningRate = 3e-3, MaxSteps = 30, WarmupSteps = 3, MinLearningRateRatio = 0.1,
    };

    private SftObjective Sft(int count, int evalCount = 0) =>
        new(TrainerFixtures.SftSamples(count), TrainerFixtures.SftSamples(evalCount), trained.Tokenizer, TrainerFixtures.Format(trained));

    private DpoObjective Dpo(int count, int evalCount = 0, PreferenceLossOptions? loss = null, LoraAdapter? adapter = null) =>
        new(TrainerFixtures.Pairs(count), TrainerFixtures.Pairs(evalCount), trained.Tokenizer, TrainerFixtures.Format(trained), loss, adapter);

    [Fact]
    public void Train_Sft30Steps_LossDecreases()
    {
        using var model = TrainerFixtures.Model(trained);

        var result = new Trainer().Train(model, Sft(4), Fast);

        var losses = TrainerFixtures.Losses(result);
        Assert.Equal(30, losses.Count);
        Assert.True(losses[^1] < 0.5 * losses[0], $"loss went from {losses[0]} to {losses[^1]}");
    }

    [Fact]
    public void Train_DpoOnFewPairs_MarginsGrowAndAccuracyReachesOne()
    {
        using var model = TrainerFixtures.Model(trained);

        var result = new Trainer().Train(model, Dpo(4), Fast with { MaxSteps = 20 });

        var first = result.Steps[0].Metrics;
        var last = result.Steps[^1].Metrics;
        Assert.True(last[TrainingMetrics.RewardsMargins] > first[TrainingMetrics.RewardsMargins] + 1,
            $"margins went from {first[TrainingMetrics.RewardsMargins]} to {last[TrainingMetrics.RewardsMargins]}");
        Assert.Equal(1.0, last[TrainingMetrics.RewardsAccuracies]);
        Assert.True(last[TrainingMetrics.Loss] < first[TrainingMetrics.Loss]);
    }

    [Fact]
    public void Train_DpoFirstStep_LossIsLn2WhenReferenceIsPolicy()
    {
        using var model = TrainerFixtures.Model(trained);

        var result = new Trainer().Train(model, Dpo(4), Fast with { MaxSteps = 1 });

        // Exactly: the reference pass scores the same rows, so every log-ratio is 0 and the loss is ln 2 in float32.
        Assert.Equal(Ln2, result.Steps[0].Metrics[TrainingMetrics.Loss]);
        Assert.Equal(0.0, result.Steps[0].Metrics[TrainingMetrics.RewardsMargins]);
    }

    [Fact]
    public void Train_SameSeed_GivesIdenticalLosses()
    {
        var options = Fast with { MaxSteps = 5, BatchSize = 2, Seed = 11 };
        using var first = TrainerFixtures.Model(trained);
        using var second = TrainerFixtures.Model(trained);

        var a = TrainerFixtures.Losses(new Trainer().Train(first, Dpo(4), options));
        var b = TrainerFixtures.Losses(new Trainer().Train(second, Dpo(4), options));

        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Train_TwoAccumulatedBatchesOf4_MatchOneBatchOf8(bool dpo)
    {
        var options = Fast with { MaxSteps = 3, WarmupSteps = 0 };
        using var accumulated = TrainerFixtures.Model(trained);
        using var whole = TrainerFixtures.Model(trained);
        ITrainingObjective Objective() => dpo ? Dpo(8) : Sft(8);

        var a = TrainerFixtures.Losses(new Trainer().Train(accumulated, Objective(), options with { BatchSize = 4, GradientAccumulationSteps = 2 }));
        var b = TrainerFixtures.Losses(new Trainer().Train(whole, Objective(), options with { BatchSize = 8 }));

        Assert.Equal(3, a.Count);
        for (var i = 0; i < a.Count; i++)
            Assert.True(Math.Abs(a[i] - b[i]) < 1e-5, $"step {i + 1}: {a[i]} vs {b[i]}");
    }

    [Fact]
    public void Train_CancelledAfterTwoSteps_StopsAtStepBoundary()
    {
        using var model = TrainerFixtures.Model(trained);
        using var cancellation = new CancellationTokenSource();
        var progress = new InlineProgress(e =>
        {
            if (e is TrainingStepEvent { Step: 2 })
                cancellation.Cancel();
        });

        var result = new Trainer().Train(model, Sft(4), Fast, progress, cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.Equal(2, result.Steps.Count);
        Assert.Equal(30, result.TotalSteps);
    }

    [Fact]
    public void Train_DpoWithLora_ChangesOnlyAdapterParameters()
    {
        using var model = TrainerFixtures.Model(trained);
        var adapter = LoraAdapter.Apply(model, new LoraConfig { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = ["q_proj", "v_proj"] });
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        var result = new Trainer().Train(model, Dpo(4, loss: null, adapter: adapter), Fast with { MaxSteps = 3 });

        Assert.Equal(Ln2, result.Steps[0].Metrics[TrainingMetrics.Loss]);
        foreach (var (name, parameter) in model.named_parameters())
        {
            var changed = !parameter.detach().equal(before[name]).all().item<bool>();
            Assert.True(changed == name.Contains(".lora_", StringComparison.Ordinal), $"{name} changed: {changed}");
        }
    }

    [Fact]
    public void Train_Dpo_ReportsExactlyTrlMetricNames()
    {
        using var model = TrainerFixtures.Model(trained);
        string[] dpoNames =
        [
            TrainingMetrics.RewardsChosen, TrainingMetrics.RewardsRejected, TrainingMetrics.RewardsMargins,
            TrainingMetrics.RewardsAccuracies, TrainingMetrics.LogpsChosen, TrainingMetrics.LogpsRejected,
            TrainingMetrics.LogitsChosen, TrainingMetrics.LogitsRejected,
        ];
        string[] stepNames =
        [
            TrainingMetrics.Loss, TrainingMetrics.GradNorm, TrainingMetrics.LearningRate, TrainingMetrics.Epoch,
            TrainingMetrics.NumTokens, TrainingMetrics.TokensPerSecond, TrainingMetrics.PeakMemoryMb, .. dpoNames,
        ];

        var result = new Trainer().Train(model, Dpo(4, evalCount: 3), Fast with { MaxSteps = 4, EvalEvery = 2 });

        Assert.Equal(stepNames.Order(StringComparer.Ordinal), result.Steps[0].Metrics.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([0, 2, 4], result.Evaluations.Select(e => e.Step));
        var evalNames = dpoNames.Append(TrainingMetrics.Loss).Select(n => TrainingMetrics.EvalPrefix + n);
        Assert.Equal(evalNames.Order(StringComparer.Ordinal), result.Evaluations[0].Metrics.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Evaluations, e => Assert.Equal([0, 1, 2], e.PairLogProbs.Select(p => p.PairIndex)));
        Assert.Equal(Ln2, result.Evaluations[0].Metrics["eval_loss"]);
        Assert.Equal([1.0, 2.0, 3.0, 4.0], result.Steps.Select(s => s.Metrics[TrainingMetrics.Epoch]));
    }

    [Fact]
    public void Train_SftWithEvalSet_ReportsEvalLossAndPerplexity()
    {
        using var model = TrainerFixtures.Model(trained);

        var result = new Trainer().Train(model, Sft(4, evalCount: 2), Fast with { MaxSteps = 10, EvalEvery = 5 });

        Assert.Equal([0, 5, 10], result.Evaluations.Select(e => e.Step));
        var (first, last) = (result.Evaluations[0].Metrics, result.Evaluations[^1].Metrics);
        Assert.Equal(Math.Exp(last["eval_loss"]), last["eval_perplexity"], 9);
        Assert.True(last["eval_loss"] < first["eval_loss"]);
        Assert.All(result.Evaluations, e => Assert.Empty(e.PairLogProbs));
    }

    [Fact]
    public void Train_DpoPairs_EvalLogProbsTrackChosenAboveRejected()
    {
        using var model = TrainerFixtures.Model(trained);

        var result = new Trainer().Train(model, Dpo(4, evalCount: 4), Fast with { MaxSteps = 20, EvalEvery = 20 });

        var (start, end) = (result.Evaluations[0], result.Evaluations[^1]);
        Assert.All(end.PairLogProbs.Zip(start.PairLogProbs), pair =>
            Assert.True(pair.First.Chosen - pair.First.Rejected > pair.Second.Chosen - pair.Second.Rejected));
    }

    [Fact]
    public void Train_SimpoWithoutReference_SeparatesChosenFromRejected()
    {
        using var model = TrainerFixtures.Model(trained);
        var loss = new PreferenceLossOptions { Type = PreferenceLoss.Parse("simpo"), Beta = 2, SimpoGamma = 0.5 };

        var result = new Trainer().Train(model, Dpo(4, loss: loss), Fast with { MaxSteps = 15 });

        Assert.True(result.Steps[^1].Metrics[TrainingMetrics.RewardsMargins] > result.Steps[0].Metrics[TrainingMetrics.RewardsMargins]);
        Assert.Equal(1.0, result.Steps[^1].Metrics[TrainingMetrics.RewardsAccuracies]);
    }

    [Fact]
    public void SftObjective_SampleWithoutAssistantTurn_NamesTheSample()
    {
        SftSample[] samples = [.. TrainerFixtures.SftSamples(2), new SftSample([new ChatMessage(ChatRoles.User, "Hello?")])];

        var error = Assert.Throws<ArgumentException>(() =>
            new SftObjective(samples, null, trained.Tokenizer, TrainerFixtures.Format(trained)));

        Assert.Contains("sample 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3L, true)]
    [InlineData(4L, false)]
    public void Train_DpoWithGivenReference_ScoresAgainstIt(long referenceSeed, bool expectLn2)
    {
        using var model = TrainerFixtures.Model(trained, seed: 3);
        using var reference = TrainerFixtures.Model(trained, seed: referenceSeed);
        reference.eval();
        var objective = new DpoObjective(
            TrainerFixtures.Pairs(4), null, trained.Tokenizer, TrainerFixtures.Format(trained), referenceModel: reference);

        var result = new Trainer().Train(model, objective, Fast with { MaxSteps = 1 });

        Assert.Equal(expectLn2, result.Steps[0].Metrics[TrainingMetrics.Loss] == Ln2);
    }
}
