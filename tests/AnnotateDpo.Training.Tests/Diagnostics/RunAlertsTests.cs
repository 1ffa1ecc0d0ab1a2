using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Tests.Diagnostics;

/// <summary>Alerts on constructed metric streams, fed one record at a time as a running run writes them.</summary>
public sealed class RunAlertsTests
{
    private static TrainingRunConfig Config(TrainingRunConfig? start = null) => start ?? new TrainingRunConfig
    {
        RunId = "r1",
        ModelDirectory = "/models/tiny",
        OutputDirectory = "/runs/r1",
        Dpo = new StageSettings { LearningRate = 1e-6, Epochs = 2 },
        Sft = new StageSettings { Epochs = 2 },
    };

    private static MetricsRecord Step(int step, int total, double loss, double gradNorm = 1, double accuracy = 0.5, double margins = 0.1, string stage = "dpo") =>
        new(stage, MetricsRecord.TrainType, step, total, new Dictionary<string, double>
        {
            [TrainingMetrics.Loss] = loss,
            [TrainingMetrics.GradNorm] = gradNorm,
            [TrainingMetrics.RewardsAccuracies] = accuracy,
            [TrainingMetrics.RewardsMargins] = margins,
        });

    private static MetricsRecord Eval(int step, double logpsChosen, double margins) =>
        new("dpo", MetricsRecord.EvalType, step, 100, new Dictionary<string, double>
        {
            ["eval_" + TrainingMetrics.LogpsChosen] = logpsChosen,
            ["eval_" + TrainingMetrics.RewardsMargins] = margins,
        });

    private static List<RunAlert> Feed(RunAlertMonitor monitor, IEnumerable<MetricsRecord> records) =>
        records.SelectMany(monitor.Observe).ToList();

    [Fact]
    public void Observe_LossAtLn2WithNoGradientForThreeSteps_RaisesStuckOnceAtTheThirdStep()
    {
        var monitor = new RunAlertMonitor(Config());

        var raised = Feed(monitor, Enumerable.Range(1, 6).Select(s => Step(s, 100, Math.Log(2) + 1e-4, gradNorm: 0)));

        var alert = Assert.Single(raised);
        Assert.Equal((RunAlertKind.LossStuckAtLn2, 3), (alert.Kind, alert.Step));
        Assert.Equal(Math.Log(2), alert.Value, 3);
    }

    [Fact]
    public void Observe_LossAtLn2WithAGradient_RaisesNothing()
    {
        var monitor = new RunAlertMonitor(Config());

        var raised = Feed(monitor, Enumerable.Range(1, 6).Select(s => Step(s, 100, Math.Log(2), gradNorm: 0.8)));

        Assert.Empty(raised);
    }

    [Fact]
    public void Observe_StuckWithTinyBeta_RemedySetsBeta()
    {
        var config = Config() with { Loss = new PreferenceLossSettings { Beta = 1e-4 } };
        var monitor = new RunAlertMonitor(config);

        var alert = Feed(monitor, Enumerable.Range(1, 3).Select(s => Step(s, 100, Math.Log(2), gradNorm: 0))).Single();

        Assert.Equal(0.1, alert.ApplyRemedy(config).Loss.Beta);
    }

    [Fact]
    public void Observe_PerfectAccuracyAndTinyLossInTheFirstTenthOfSteps_RaisesTooEasy()
    {
        var config = Config();
        var monitor = new RunAlertMonitor(config);

        var raised = Feed(monitor, [Step(1, 50, 0.3, accuracy: 0.75), Step(4, 50, 0.01, accuracy: 1)]);

        var alert = Assert.Single(raised);
        Assert.Equal((RunAlertKind.PairsTooEasy, 4, 0.01), (alert.Kind, alert.Step, alert.Value));
        var next = alert.ApplyRemedy(config);
        Assert.Equal((5e-7, 1.0), (next.Dpo.LearningRate, next.Dpo.Epochs));
    }

    [Fact]
    public void Observe_PerfectAccuracyAfterTheFirstTenth_IsNoAlert()
    {
        var monitor = new RunAlertMonitor(Config());

        var raised = Feed(monitor, [Step(6, 50, 0.01, accuracy: 1)]);

        Assert.Empty(raised);
    }

    [Fact]
    public void Observe_EvalChosenFallingWhileMarginsGrow_RaisesDisplacementWithRpoAndMoreSft()
    {
        var config = Config();
        var monitor = new RunAlertMonitor(config);

        var raised = Feed(monitor, [Eval(0, -40, 0), Eval(20, -40.2, 0.3), Eval(40, -42, 0.9), Eval(60, -45, 1.5)]);

        var alert = Assert.Single(raised);
        Assert.Equal((RunAlertKind.LikelihoodDisplacement, 40, 2.0), (alert.Kind, alert.Step, alert.Value));
        var next = alert.ApplyRemedy(config);
        Assert.Equal((1.0, 3.0), (next.Loss.RpoAlpha, next.Sft.Epochs));
    }

    [Fact]
    public void Observe_DisplacementWithRpoAlreadyOnAndNoSft_RaisesDpopAndAddsSft()
    {
        var config = Config() with { Stages = [TrainingStage.Dpo], Loss = new PreferenceLossSettings { RpoAlpha = 1 } };
        var monitor = new RunAlertMonitor(config);

        var alert = Feed(monitor, [Eval(0, -40, 0), Eval(40, -42, 0.9)]).Single();

        var next = alert.ApplyRemedy(config);
        Assert.Equal(50, next.Loss.DpopLambda);
        Assert.Equal([TrainingStage.Sft, TrainingStage.Dpo], next.Stages);
    }

    [Fact]
    public void Observe_ChosenFallingWithShrinkingMargins_IsNoDisplacement()
    {
        var monitor = new RunAlertMonitor(Config());

        var raised = Feed(monitor, [Eval(0, -40, 0.2), Eval(40, -42, 0.1)]);

        Assert.Empty(raised);
    }

    [Fact]
    public void Observe_MarginsAboveTen_RaisesLargeMarginsWithEarlierStop()
    {
        var config = Config();
        var monitor = new RunAlertMonitor(config);

        var raised = Feed(monitor, [Step(10, 100, 0.2, margins: 8), Step(11, 100, 0.1, margins: 10.5), Step(12, 100, 0.1, margins: 12)]);

        var alert = Assert.Single(raised);
        Assert.Equal((RunAlertKind.LargeMargins, 11, 10.5), (alert.Kind, alert.Step, alert.Value));
        Assert.Equal(11, alert.ApplyRemedy(config).Dpo.MaxSteps);
    }

    [Fact]
    public void Observe_NaNInSft_RaisesNotANumberWithLowerSftLearningRate()
    {
        var config = Config();
        var monitor = new RunAlertMonitor(config);

        var raised = Feed(monitor, [Step(1, 10, 2.0, stage: "sft"), Step(2, 10, double.NaN, stage: "sft"), Step(3, 10, double.NaN, stage: "sft")]);

        var alert = Assert.Single(raised);
        Assert.Equal((RunAlertKind.NotANumber, "sft", 2), (alert.Kind, alert.Stage, alert.Step));
        Assert.Equal(config.Sft.LearningRate / 10, alert.ApplyRemedy(config).Sft.LearningRate, 15);
        Assert.Equal(alert, monitor.Alerts.Single());
    }

    [Fact]
    public void Check_FewExamplesAndSkippedSft_WarnsWithFigures()
    {
        var config = Config() with { Stages = [TrainingStage.Dpo] };

        var alerts = SftReadinessGate.Check(config, approvedSftExamples: 12, reference: null);

        Assert.Equal([RunAlertKind.SftSkipped, RunAlertKind.FewSftExamples], alerts.Select(a => a.Kind));
        Assert.Equal(12, alerts[1].Value);
        Assert.Equal([TrainingStage.Sft, TrainingStage.Dpo], alerts[0].ApplyRemedy(config).Stages);
    }

    [Fact]
    public void Check_MostPairsPreferRejectedAtReference_WarnsWithTheShare()
    {
        var config = Config() with { Sft = new StageSettings { MaxSteps = 30 } };
        var summary = new PairSummary(10, 6, 0, 0, 0.5, 0, 0, 0, 0, 0, RejectedPreferredAtReferenceCount: 7);

        var alert = SftReadinessGate.Check(config, approvedSftExamples: 80, summary).Single();

        Assert.Equal((RunAlertKind.RejectedPreferredAtReference, 0.7), (alert.Kind, alert.Value));
        Assert.Equal(40, alert.ApplyRemedy(config).Sft.MaxSteps);
    }

    [Fact]
    public void Check_ReadyRun_RaisesNothing()
    {
        var summary = new PairSummary(10, 6, 0, 0, 0.5, 0, 0, 0, 0, 0, RejectedPreferredAtReferenceCount: 5);

        Assert.Empty(SftReadinessGate.Check(Config(), approvedSftExamples: 50, summary));
    }

    [Fact]
    public void Apply_UnknownSetting_NamesTheValidOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => new ConfigChange("dpo.warmup", "1").Apply(Config()));

        Assert.Contains("dpo.warmup", error.Message);
        Assert.Contains(ConfigChange.RpoAlpha, error.Message);
    }

    [Fact]
    public void Describe_NamesTheFigureAndTheRemedy()
    {
        var alert = new RunAlert(RunAlertKind.LikelihoodDisplacement, "dpo", 40, 2, [ConfigChange.Set(ConfigChange.RpoAlpha, 1)]);

        Assert.Equal("dpo step 40: logps/chosen fell by 2 nats while the margins grew: likelihood displacement; next run: preference_loss.rpo_alpha = 1",
            alert.Describe());
    }

    private static SamplePass Samples(string stage, int step, params int[] tokens) =>
        new(stage, step, 100, tokens.Select((count, index) => new EvalSample(index, $"q{index}", new string('a', count), count, Finished: true)).ToList());

    [Fact]
    public void ObserveSamples_DpoAnswersGrowingHalfAgainAndEightTokens_RaisesWithTheRatioAndLengthNormalisation()
    {
        var monitor = new RunAlertMonitor(Config());

        var quiet = monitor.Observe(Samples("dpo", 0, 20, 30)).Concat(monitor.Observe(Samples("dpo", 10, 28, 36))).ToList();
        var raised = monitor.Observe(Samples("dpo", 20, 30, 45));
        var again = monitor.Observe(Samples("dpo", 30, 60, 90));

        Assert.Empty(quiet);
        var alert = Assert.Single(raised);
        Assert.Equal((RunAlertKind.ResponsesGrowing, "dpo", 20), (alert.Kind, alert.Stage, alert.Step));
        Assert.Equal(1.5, alert.Value, 6);
        Assert.Equal([new ConfigChange(ConfigChange.LossType, "sigmoid_norm")], alert.Remedy);
        Assert.Equal("sigmoid_norm", alert.ApplyRemedy(Config()).Loss.Type);
        Assert.Empty(again);
    }

    [Fact]
    public void ObserveSamples_ShortAnswersGrowingByFewTokens_OrSftAnswersGrowing_RaiseNothing()
    {
        var monitor = new RunAlertMonitor(Config());

        // Doubled, but by 4 tokens only; and SFT answers may grow as the model learns to answer.
        var raised = new[] { Samples("sft", 0, 4, 4), Samples("sft", 10, 40, 40), Samples("dpo", 0, 4, 4), Samples("dpo", 10, 8, 8) }
            .SelectMany(monitor.Observe)
            .ToList();

        Assert.Empty(raised);
    }

    [Fact]
    public void ObserveSamples_GrowingUnderSigmoidNorm_HalvesTheLearningRate()
    {
        var config = Config() with { Loss = new PreferenceLossSettings { Type = "sigmoid_norm" } };
        var monitor = new RunAlertMonitor(config);

        monitor.Observe(Samples("dpo", 0, 20));
        var alert = Assert.Single(monitor.Observe(Samples("dpo", 5, 40)));

        Assert.Equal(5e-7, alert.ApplyRemedy(config).Dpo.LearningRate, 12);
    }
}
