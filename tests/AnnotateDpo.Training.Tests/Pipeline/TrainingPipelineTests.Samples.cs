using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Tests.Pipeline;

/// <summary>Answers to the fixed eval prompts at every eval pass (samples.jsonl).</summary>
public sealed partial class TrainingPipelineTests
{
    [Fact]
    public void Run_SftThenDpo_AnswersEachDistinctEvalPromptAtEveryEval()
    {
        var config = Config("samples") with { EvalSampleMaxNewTokens = 12 };
        var reported = new List<StageSamplesEvent>();

        Run(config, new InlinePipelineProgress(e =>
        {
            if (e is StageSamplesEvent samples)
                reported.Add(samples);
        }));

        var passes = RunLogReader.ReadSamples(config.OutputDirectory);
        Assert.Equal(["sft:0", "sft:2", "sft:3", "dpo:0", "dpo:2", "dpo:3"], passes.Select(p => $"{p.Stage}:{p.Step}"));
        Assert.Equal(passes.Select(p => p.Step), reported.Select(r => r.Step));
        // The SFT and DPO eval splits ask the same two questions: each is answered once, in the SFT split's order.
        var prompts = SftEval.Select(s => s.Messages[0].Content).ToList();
        Assert.All(passes, pass => Assert.Equal(prompts, pass.Samples.Select(s => s.Prompt)));
        Assert.All(passes.SelectMany(p => p.Samples), sample =>
        {
            Assert.InRange(sample.Tokens, 1, 12);
            // An answer the model did not end stopped at the limit.
            if (!sample.Finished)
                Assert.Equal(12, sample.Tokens);
        });
        // DPO starts from the model SFT saved, and greedy answers depend on the model only.
        Assert.Equal(Answers(passes[2]), Answers(passes[3]));
    }

    [Fact]
    public void Run_WithAndWithoutSamples_TrainsTheSameSteps()
    {
        var with = Config("with-samples");
        var without = with with { RunId = "without-samples", OutputDirectory = temp.File("without-samples"), EvalSamples = 0 };

        Run(with);
        Run(without);

        Assert.Equal(DeterministicMetrics(with.OutputDirectory), DeterministicMetrics(without.OutputDirectory));
        Assert.Empty(RunLogReader.ReadSamples(without.OutputDirectory));
        Assert.NotEmpty(RunLogReader.ReadSamples(with.OutputDirectory));
    }

    [Fact]
    public void Config_SampleSettingsOutOfRange_AreRefusedByName()
    {
        var config = Config("bad-samples");

        Assert.Contains("eval_samples", Assert.Throws<ArgumentException>(() => (config with { EvalSamples = -1 }).Validate()).Message);
        Assert.Contains("eval_samples", Assert.Throws<ArgumentException>(() => (config with { EvalSamples = TrainingRunConfig.MaxEvalSamples + 1 }).Validate()).Message);
        Assert.Contains("eval_sample_max_new_tokens", Assert.Throws<ArgumentException>(() => (config with { EvalSampleMaxNewTokens = 0 }).Validate()).Message);
    }

    [Fact]
    public void Run_KeyedEvalPairs_LogsEachKeyOnceForTheDiagnostics()
    {
        var config = Config("keys", stages: [TrainingStage.Dpo]);
        var keyed = PairEval.Select((pair, index) => pair with { Key = $"pair-{index}" }).ToList();

        new TrainingPipeline().Run(config, SftTrain, SftEval, PairTrain, keyed);

        var passes = RunLogReader.ReadEvalPairs(config.OutputDirectory);
        Assert.Equal(["pair-0", "pair-1"], passes[0].Pairs.Select(p => p.Key));
        Assert.All(passes.Skip(1).SelectMany(p => p.Pairs), p => Assert.Null(p.Key));
        Assert.Equal(["pair-0", "pair-1"], PairDiagnostics.Compute(passes, config.Loss.Beta).Pairs.Select(p => p.Key));
    }

    [Fact]
    public void Run_SftThenDpo_ScoresTheEvalPairsUnderTheBaseModelBeforeSft()
    {
        var config = Config("base-points");

        Run(config);

        var passes = RunLogReader.ReadEvalPairs(config.OutputDirectory);
        Assert.Equal([RunLog.BaseStage, "dpo", "dpo", "dpo"], passes.Select(p => p.Stage));
        var expected = ScoreSavedModel(config.ModelDirectory);
        Assert.Equal(expected.Select(p => p.Chosen), passes[0].Pairs.Select(p => p.Chosen), new ToleranceComparer(1e-3));
        Assert.Equal(expected.Select(p => p.Rejected), passes[0].Pairs.Select(p => p.Rejected), new ToleranceComparer(1e-3));
        var diagnostics = PairDiagnostics.Compute(passes, config.Loss.Beta).Pairs;
        Assert.All(diagnostics, d => Assert.Equal(passes[0].Pairs[d.Index].Chosen, d.Base!.Chosen));
        // SFT moved the pairs: the DPO reference is not the base model.
        Assert.NotEqual(passes[0].Pairs[0].Chosen, passes[1].Pairs[0].Chosen);
    }

    [Fact]
    public void Run_DpoOnly_WritesNoBasePass()
    {
        var config = Config("dpo-no-base", stages: [TrainingStage.Dpo]);

        Run(config);

        Assert.DoesNotContain(RunLogReader.ReadEvalPairs(config.OutputDirectory), p => p.Stage == RunLog.BaseStage);
    }

    [Fact]
    public void TrainSplitDiagnosis_FinishedRun_ScoresTheTrainPairsUnderTheReferenceAndTheFinalModel()
    {
        var config = Config("train-split");
        var keyed = PairTrain.Select((pair, index) => pair with { Key = $"train-{index}" }).ToList();
        new TrainingPipeline().Run(config, SftTrain, SftEval, keyed, PairEval);

        TrainSplitDiagnosis.Write(config.OutputDirectory, keyed);

        var passes = RunLogReader.ReadTrainPairs(config.OutputDirectory);
        Assert.Equal([0, 3], passes.Select(p => p.Step));
        Assert.Equal(keyed.Select(p => p.Key), passes[0].Pairs.Select(p => p.Key));
        // The reference is the saved SFT model, the end the saved DPO model.
        using (var model = HfModelLoader.Load(Path.Combine(config.OutputDirectory, "sft")))
        using (var tokenizer = HfTokenizer.Load(Path.Combine(config.OutputDirectory, "sft")))
        {
            var expected = new DpoObjective(keyed, keyed, tokenizer, ChatFormats.For(tokenizer)).ScoreEval(model, 8, CancellationToken.None);
            Assert.Equal(expected.Select(p => p.Chosen), passes[0].Pairs.Select(p => p.Chosen), new ToleranceComparer(1e-3));
        }
        var report = PairDiagnostics.Compute(passes, config.Loss.Beta);
        Assert.Equal(PairTrain.Count, report.Summary.Count);
        Assert.Contains(report.Pairs, p => Math.Abs(p.DeltaChosen) > 1e-4);
    }

    [Fact]
    public void TrainSplitDiagnosis_RunWithoutDpo_IsRefusedAndWritesNothing()
    {
        var config = Config("sft-only", stages: [TrainingStage.Sft]);
        Run(config);

        var error = Assert.Throws<ArgumentException>(() => TrainSplitDiagnosis.Write(config.OutputDirectory, PairTrain));

        Assert.Contains("no completed DPO stage", error.Message);
        Assert.False(File.Exists(Path.Combine(config.OutputDirectory, TrainSplitDiagnosis.FileName)));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double value) => 0;
    }

    private static List<string> Answers(SamplePass pass) => pass.Samples.Select(s => $"{s.Tokens}:{s.Completion}").ToList();
}
